#include "core/ner_corpus.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/text.h"

namespace newsparse {
namespace ner {
namespace {

// A tiny recursive-descent scanner over one JSON value. Depth is bounded to keep the stack small.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view s) : s_(s) {}

  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  int Hex4(uint32_t* v) {
    if (pos_ + 4 > s_.size()) return 0;
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      r <<= 4;
      if (c >= '0' && c <= '9')
        r |= c - '0';
      else if (c >= 'a' && c <= 'f')
        r |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        r |= c - 'A' + 10;
      else
        return 0;
    }
    pos_ += 4;
    *v = r;
    return 1;
  }

  // Parses a string at pos_ (which must be '"'); decoded into *out when out != nullptr.
  bool String(std::string* out) {
    if (!Consume('"')) return false;
    if (out) out->clear();
    while (pos_ < s_.size()) {
      // Fast path: copy a run of plain bytes.
      size_t run = pos_;
      while (run < s_.size() && s_[run] != '"' && s_[run] != '\\') ++run;
      if (out) out->append(s_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= s_.size()) return false;
      char c = s_[pos_++];
      if (c == '"') return true;
      // Escape.
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      char lit = 0;
      switch (e) {
        case '"':
          lit = '"';
          break;
        case '\\':
          lit = '\\';
          break;
        case '/':
          lit = '/';
          break;
        case 'b':
          lit = '\b';
          break;
        case 'f':
          lit = '\f';
          break;
        case 'n':
          lit = '\n';
          break;
        case 'r':
          lit = '\r';
          break;
        case 't':
          lit = '\t';
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // High surrogate: join with a following low surrogate, else U+FFFD.
            uint32_t lo;
            if (pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
              size_t save = pos_;
              pos_ += 2;
              if (Hex4(&lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              } else {
                pos_ = save;
                cp = 0xFFFD;
              }
            } else {
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          if (out) AppendUtf8(cp, out);
          continue;
        }
        default:
          return false;
      }
      if (out) out->push_back(lit);
    }
    return false;
  }

  bool SkipValue(int depth) {
    if (depth > 64) return false;
    SkipWs();
    char c = Peek();
    if (c == '"') return String(nullptr);
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++pos_;
      SkipWs();
      if (Consume(close)) return true;
      while (true) {
        if (c == '{') {
          SkipWs();
          if (!String(nullptr)) return false;
          SkipWs();
          if (!Consume(':')) return false;
        }
        if (!SkipValue(depth + 1)) return false;
        SkipWs();
        if (Consume(close)) return true;
        if (!Consume(',')) return false;
      }
    }
    // Number or literal.
    size_t start = pos_;
    while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.')) {
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

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
  JsonScanner sc(line);
  sc.SkipWs();
  if (!sc.Consume('{')) return absl::InvalidArgumentError("JSON line is not an object");
  sc.SkipWs();
  if (sc.Consume('}')) return false;
  std::string key;
  while (true) {
    sc.SkipWs();
    if (!sc.String(&key)) return absl::InvalidArgumentError("bad JSON object key");
    sc.SkipWs();
    if (!sc.Consume(':')) return absl::InvalidArgumentError("expected ':' in JSON object");
    sc.SkipWs();
    if (key == field && sc.Peek() == '"') {
      if (!sc.String(out)) return absl::InvalidArgumentError("bad JSON string value");
      return true;
    }
    if (!sc.SkipValue(0)) return absl::InvalidArgumentError("bad JSON value");
    sc.SkipWs();
    if (sc.Consume('}')) return false;
    if (!sc.Consume(',')) return absl::InvalidArgumentError("expected ',' in JSON object");
  }
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
