#include "core/ner_corpus.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/jsonl.h"
#include "core/status.h"
#include "core/text.h"

namespace newsparse {
namespace ner {
namespace {

bool IsOpenPunct(unsigned char c) {
  return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == '`';
}
bool IsClosePunct(unsigned char c) {
  return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == '.' || c == ',' ||
         c == ';' || c == ':' || c == '!' || c == '?';
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool KeepsPeriod(std::string_view core) {
  // `core` is the word without its final period.
  if (core.empty()) return false;
  if (core.find('.') != std::string_view::npos) return true;              // U.S, e.g
  if (core.size() == 1 && core[0] >= 'A' && core[0] <= 'Z') return true;  // initials
  static constexpr std::string_view kAbbr[] = {
      "Mr",   "Mrs",   "Ms",   "Dr",   "Jr",   "Sr",   "St",   "Inc",  "Corp", "Co",   "Ltd",
      "Bros", "Gen",   "Col",  "Lt",   "Sgt",  "Capt", "Gov",  "Sen",  "Rep",  "Prof", "Rev",
      "Jan",  "Feb",   "Aug",  "Sep",  "Sept", "Oct",  "Nov",  "Dec",  "Mt",   "Ft",   "No",
      "vs",   "Calif", "Mass", "Ariz", "Ill",  "Fla",  "Conn", "Penn", "Wash", "Mich", "Minn",
      "Tenn", "Va",    "Ga",   "Pa",   "Md",   "Mo",   "La",   "Ky",   "Ala",  "Okla", "Ore",
      "Nev",  "Colo",  "Wis",  "Kan",  "Neb",  "Del",  "Ave",  "Blvd"};
  for (std::string_view a : kAbbr) {
    if (core == a) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<bool> JsonStringField(std::string_view line, std::string_view field,
                                     std::string* out) {
  std::vector<std::optional<std::string>> values;
  NEWSPARSE_RETURN_IF_ERROR(ReadJsonStrings(line, {field}, &values));
  if (!values[0].has_value()) return false;
  *out = std::move(*values[0]);
  return true;
}

absl::Status ForEachJsonLineText(const std::string& path, std::string_view field, int64_t max_lines,
                                 const std::function<bool(std::string_view)>& fn) {
  gzFile gz = gzopen(path.c_str(), "rb");  // also reads uncompressed files
  if (gz == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(gz, gzclose);
  gzbuffer(gz, 1 << 18);
  std::vector<char> buf(1 << 20);
  std::string line, text;
  int64_t line_no = 0;
  bool stop = false;
  auto handle = [&]() -> absl::Status {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) return absl::OkStatus();
    absl::StatusOr<bool> found = JsonStringField(line, field, &text);
    if (!found.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": ", found.status().message()));
    }
    if (*found && !fn(text)) stop = true;
    if (max_lines > 0 && line_no >= max_lines) stop = true;
    return absl::OkStatus();
  };
  while (!stop) {
    int n = gzread(gz, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) return absl::DataLossError(absl::StrCat("gzip read error in ", path));
    if (n == 0) break;
    const char* p = buf.data();
    const char* end = p + n;
    while (p < end && !stop) {
      const char* nl = static_cast<const char*>(memchr(p, '\n', end - p));
      if (nl == nullptr) {
        line.append(p, end - p);
        break;
      }
      line.append(p, nl - p);
      absl::Status st = handle();
      if (!st.ok()) return st;
      line.clear();
      p = nl + 1;
    }
  }
  if (!stop && !line.empty()) {
    absl::Status st = handle();
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

void SimpleTokenize(std::string_view text, std::vector<std::string_view>* out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    while (i < n && IsSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= n) break;
    size_t j = i;
    while (j < n && !IsSpace(static_cast<unsigned char>(text[j]))) ++j;
    // Chunk [i, j).
    size_t b = i, e = j;
    while (b < e && IsOpenPunct(static_cast<unsigned char>(text[b]))) {
      // "``" and "''" stay one token.
      if (b + 1 < e && (text[b] == '`' || text[b] == '\'') && text[b + 1] == text[b]) {
        out->push_back(text.substr(b, 2));
        b += 2;
      } else {
        out->push_back(text.substr(b, 1));
        ++b;
      }
    }
    // Trailing punctuation, collected right-to-left then emitted in order.
    size_t tail_begin = e;
    while (tail_begin > b && IsClosePunct(static_cast<unsigned char>(text[tail_begin - 1]))) {
      if (text[tail_begin - 1] == '.' && tail_begin - 1 > b &&
          KeepsPeriod(text.substr(b, tail_begin - 1 - b))) {
        // A period on an abbreviation stays, unless another period follows it ("Inc..").
        if (tail_begin == e || text[tail_begin] != '.') break;
      }
      --tail_begin;
    }
    if (b < tail_begin) {
      std::string_view word = text.substr(b, tail_begin - b);
      size_t cut = word.size();
      if (word.size() > 2 &&
          (word.substr(word.size() - 2) == "'s" || word.substr(word.size() - 2) == "'S")) {
        cut = word.size() - 2;
      } else if (word.size() > 3 && (word.substr(word.size() - 3) == "n't")) {
        cut = word.size() - 3;
      }
      if (cut < word.size()) {
        out->push_back(word.substr(0, cut));
        out->push_back(word.substr(cut));
      } else {
        out->push_back(word);
      }
    }
    for (size_t k = tail_begin; k < e; ++k) {
      if (k + 1 < e && text[k] == '\'' && text[k + 1] == '\'') {
        out->push_back(text.substr(k, 2));
        ++k;
      } else if (k + 2 < e + 0 && text[k] == '.' && text[k + 1] == '.' && text[k + 2] == '.') {
        out->push_back(text.substr(k, 3));
        k += 2;
      } else {
        out->push_back(text.substr(k, 1));
      }
    }
    i = j;
  }
}

absl::StatusOr<std::vector<ConllDocument>> ReadConll(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<ConllDocument> docs;
  std::string line;
  int64_t line_no = 0;
  bool in_sentence = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) {
      in_sentence = false;
      continue;
    }
    if (line.compare(0, 10, "-DOCSTART-") == 0) {
      docs.emplace_back();
      in_sentence = false;
      continue;
    }
    size_t first_sp = line.find(' ');
    size_t last_sp = line.rfind(' ');
    if (first_sp == std::string::npos || first_sp == 0) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": expected columns"));
    }
    if (docs.empty()) docs.emplace_back();
    ConllDocument& d = docs.back();
    if (!in_sentence) {
      d.sentence_starts.push_back(static_cast<uint32_t>(d.words.size()));
      in_sentence = true;
    }
    d.words.push_back(line.substr(0, first_sp));
    d.tags.push_back(line.substr(last_sp + 1));
  }
  // Drop empty documents (e.g. a -DOCSTART- at the very end).
  std::vector<ConllDocument> kept;
  kept.reserve(docs.size());
  for (auto& d : docs) {
    if (!d.words.empty()) kept.push_back(std::move(d));
  }
  return kept;
}

}  // namespace ner
}  // namespace newsparse
