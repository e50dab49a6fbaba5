// Corpus readers for the entity-recognition stage: gzip JSON lines (the unlabeled corpus used for
// word clusters), a simple tokenizer consistent with CoNLL-2003 tokens, and the CoNLL-2003 format.
//
// These are training-time and tool-time helpers; the runtime tagger takes tokens from the caller.
// Thread safety: pure functions (the reader owns its own zlib stream).
#ifndef NEWSPARSE_CORE_NER_CORPUS_H_
#define NEWSPARSE_CORE_NER_CORPUS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace newsparse {
namespace ner {

// Finds the top-level string member `field` of the JSON object in `line` and writes its decoded
// value (escapes resolved, \uXXXX surrogate pairs joined, lone surrogates -> U+FFFD, all as UTF-8)
// to `*out`. Returns true when found, false when the object has no such string member, and an
// InvalidArgument error when `line` is not a well-formed JSON object (as far as it was read).
absl::StatusOr<bool> JsonStringField(std::string_view line, std::string_view field,
                                     std::string* out);

// Calls `fn(text)` with the string member `field` of every line of the gzip (or plain) JSON-lines
// file at `path`, in order, stopping early when `fn` returns false or after `max_lines` lines
// (0 = no limit). Lines without the field are skipped. Errors: NotFound/DataLoss for I/O, and the
// JsonStringField error (with the line number) for a malformed line.
absl::Status ForEachJsonLineText(const std::string& path, std::string_view field, int64_t max_lines,
                                 const std::function<bool(std::string_view)>& fn);

// Splits `text` into tokens the way CoNLL-2003 is tokenized, closely enough for word statistics:
// white space separates; leading ( [ { " ' ` and trailing ) ] } " ' . , ; : ! ? are split off,
// except that a final period stays on abbreviations ("U.S.", "J.", "Inc.", "Mr."); the clitics
// "'s" and "n't" are split off ("Clinton's" -> "Clinton" "'s"). Appends views into `text` to
// `*out` (not cleared). Never fails; bytes that are not ASCII are word characters. Linear time.
void SimpleTokenize(std::string_view text, std::vector<std::string_view>* out);

// One CoNLL-2003 document: tokens and their NER tags as written (IOB1 in eng.train/eng.testa).
struct ConllDocument {
  std::vector<std::string> words;
  std::vector<std::string> tags;
  std::vector<uint32_t> sentence_starts;  // index of each sentence's first token, ascending
};

// Reads a CoNLL file (columns separated by spaces, NER tag last; -DOCSTART- lines separate
// documents, blank lines separate sentences). A file without -DOCSTART- is one document.
// Errors: NotFound when unreadable, InvalidArgument (with line number) for a line with < 2 columns.
absl::StatusOr<std::vector<ConllDocument>> ReadConll(const std::string& path);

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_CORPUS_H_
