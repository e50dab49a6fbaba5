// The inside of a newsparse_result: the core Article and the flat, frozen C records that the
// accessors of newsparse.h lend out. Internal to libnewsparse (not installed).
//
// Thread safety: a built result is immutable; BuildResult() is called by one thread.
#ifndef NEWSPARSE_PLUGIN_API_RESULT_H_
#define NEWSPARSE_PLUGIN_API_RESULT_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/article.h"
#include "newsparse/newsparse.h"

struct newsparse_result {
  newsparse::Article article;  // owns the strings of the records except the dateline's
  // NUL-terminated copies of the dateline's strings (the Article's are views into the parsed
  // text, which the result does not keep; see core/article.h).
  std::deque<std::string> dateline_strings;
  uint64_t text_size = 0;
  std::optional<newsparse_dateline> dateline;
  std::vector<newsparse_place> places;
  std::vector<newsparse_credit> credits;
  std::vector<newsparse_mention> mentions;
  std::vector<newsparse_entity> entities;
  std::vector<newsparse_attribution> attributions;
  std::vector<newsparse_date> dates;
  std::vector<newsparse_span> spans;
  std::vector<newsparse_str> strings;
  std::vector<uint32_t> indices;
  std::string json;  // the buffer of newsparse_result_json
};

namespace newsparse::capi {

// Fills the C records of `result` from `result->article` (which must not change afterwards: the
// records borrow its strings). The dateline's strings, views into the parsed text and the
// engine, are first copied into result->dateline_strings and the Article's views re-pointed at
// the copies, so the result needs neither the text nor the engine afterwards. `text_size` is the
// size of the parsed text. May throw std::bad_alloc (the caller's guard turns it into
// NEWSPARSE_ERR_NO_MEMORY).
void BuildResult(uint64_t text_size, newsparse_result* result);

// NEWSPARSE_CREDIT_* of a core credit kind ("signoff", ...); NEWSPARSE_CREDIT_OTHER when unknown.
uint32_t CreditKindCode(std::string_view kind);

}  // namespace newsparse::capi

#endif  // NEWSPARSE_PLUGIN_API_RESULT_H_
