// Small helpers for absl::Status inside the core. Debian's Abseil 20220623 has no public
// RETURN_IF_ERROR / ASSIGN_OR_RETURN, so the project defines its own.
#ifndef NEWSPARSE_CORE_STATUS_H_
#define NEWSPARSE_CORE_STATUS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace newsparse {
// Debian's Abseil has its own absl::string_view, distinct from std::string_view: convert at the
// boundary with these two.
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }
}  // namespace newsparse

#define NEWSPARSE_RETURN_IF_ERROR(expr)                    \
  do {                                                     \
    ::absl::Status newsparse_status_ = (expr);             \
    if (!newsparse_status_.ok()) return newsparse_status_; \
  } while (0)

#define NEWSPARSE_CONCAT_INNER_(a, b) a##b
#define NEWSPARSE_CONCAT_(a, b) NEWSPARSE_CONCAT_INNER_(a, b)
#define NEWSPARSE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                     \
  if (!tmp.ok()) return tmp.status();                     \
  lhs = std::move(*tmp)
#define NEWSPARSE_ASSIGN_OR_RETURN(lhs, rexpr) \
  NEWSPARSE_ASSIGN_OR_RETURN_IMPL_(NEWSPARSE_CONCAT_(newsparse_statusor_, __LINE__), lhs, rexpr)

#endif  // NEWSPARSE_CORE_STATUS_H_
