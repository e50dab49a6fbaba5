// One AttributionFinder over the project's data folder, created on first use and shared by the
// tests of a program (it is immutable and thread-safe). A failure to load is a test failure.
#ifndef NEWSPARSE_TESTS_ATTRIBUTION_FINDER_H_
#define NEWSPARSE_TESTS_ATTRIBUTION_FINDER_H_

#include <cstdlib>

#include "core/attribution.h"
#include "core/engine.h"
#include "gtest/gtest.h"

namespace newsparse {

inline const AttributionFinder& SharedAttributionFinder() {
  static const AttributionFinder* finder = [] {
    auto f = AttributionFinder::Create(DefaultDataDir());
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? f->release() : nullptr;
  }();
  if (finder == nullptr) std::abort();
  return *finder;
}

}  // namespace newsparse

#endif  // NEWSPARSE_TESTS_ATTRIBUTION_FINDER_H_
