// Span checks shared by the fuzz targets: a failed check aborts, which libFuzzer reports.
#ifndef NEWSPARSE_FUZZ_SPAN_CHECK_H_
#define NEWSPARSE_FUZZ_SPAN_CHECK_H_

#include <cstdlib>
#include <string_view>

#include "core/article.h"

namespace newsparse::fuzz {

// `s` is a non-empty span inside `text`.
inline void CheckSpan(Span s, std::string_view text) {
  if (s.begin >= s.end || s.end > text.size()) std::abort();
}

// `s` is a span inside `text`, possibly empty.
inline void CheckSpanOrEmpty(Span s, std::string_view text) {
  if (s.begin > s.end || s.end > text.size()) std::abort();
}

// `inner` lies within `outer`.
inline void CheckInside(Span inner, Span outer) {
  if (inner.begin < outer.begin || inner.end > outer.end) std::abort();
}

}  // namespace newsparse::fuzz

#endif  // NEWSPARSE_FUZZ_SPAN_CHECK_H_
