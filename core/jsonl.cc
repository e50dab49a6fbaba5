#include "core/jsonl.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/article_json.h"
#include "core/status.h"
#include "core/text.h"

namespace newsparse {
namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  size_t pos() const { return pos_; }
  const std::string& error() const { return error_; }

  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  bool Fail(std::string_view what) {
    if (error_.empty()) error_ = absl::StrCat(ToAbsl(what), " at byte ", pos_);
    return false;
  }

  // Parses a string at pos_ (which holds '"'); appends its unescaped value to `out` if non-null.
  bool String(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in string");
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return Fail("unterminated escape");
        const char e = s_[pos_ + 1];
        pos_ += 2;
        char r = 0;
        switch (e) {
          case '"':
            r = '"';
            break;
          case '\\':
            r = '\\';
            break;
          case '/':
            r = '/';
            break;
          case 'b':
            r = '\b';
            break;
          case 'f':
            r = '\f';
            break;
          case 'n':
            r = '\n';
            break;
          case 'r':
            r = '\r';
            break;
          case 't':
            r = '\t';
            break;
          case 'u': {
            uint32_t cp;
            if (!Hex4(&cp)) return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              // A high surrogate must be followed by an escaped low surrogate.
              uint32_t lo = 0;
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                pos_ += 2;
                if (!Hex4(&lo)) return false;
              }
              if (lo < 0xDC00 || lo > 0xDFFF) return Fail("unpaired surrogate in \\u escape");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              return Fail("unpaired surrogate in \\u escape");
            }
            if (out) AppendUtf8(cp, out);
            continue;
          }
          default:
            return Fail("bad escape");
        }
        if (out) out->push_back(r);
        continue;
      }
      if (c < 0x80) {
        // Copy the plain run.
        const size_t start = pos_;
        while (pos_ < s_.size()) {
          const unsigned char d = static_cast<unsigned char>(s_[pos_]);
          if (d == '"' || d == '\\' || d < 0x20 || d >= 0x80) break;
          ++pos_;
        }
        if (out) out->append(s_.data() + start, pos_ - start);
        continue;
      }
      char32_t cp;
      const int n = DecodeUtf8(s_.data() + pos_, s_.data() + s_.size(), &cp);
      if (cp == kReplacementChar && !(n == 3 && s_.compare(pos_, 3, "\xEF\xBF\xBD") == 0)) {
        invalid_utf8_ = true;
        return Fail("invalid UTF-8");
      }
      if (out) out->append(s_.data() + pos_, n);
      pos_ += n;
    }
  }

  bool Hex4(uint32_t* v) {
    if (pos_ + 4 > s_.size()) return Fail("short \\u escape");
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_ + i];
      r <<= 4;
      if (c >= '0' && c <= '9') {
        r |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        r |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        r |= c - 'A' + 10;
      } else {
        return Fail("bad \\u escape");
      }
    }
    pos_ += 4;
    *v = r;
    return true;
  }

  bool Number() {
    const size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    } else {
      return Fail("bad number");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("bad number");
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Fail("bad number");
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    return pos_ > start;
  }

  bool Literal(std::string_view word) {
    if (s_.compare(pos_, word.size(), word) != 0) return Fail("bad literal");
    pos_ += word.size();
    return true;
  }

  // Skips any value (validating it).
  bool Value(int depth) {
    if (depth > kMaxJsonDepth) return Fail("nesting too deep");
    SkipSpace();
    switch (Peek()) {
      case '"':
        return String(nullptr);
      case '{': {
        ++pos_;
        SkipSpace();
        if (Peek() == '}') {
          ++pos_;
          return true;
        }
        while (true) {
          SkipSpace();
          if (Peek() != '"') return Fail("expected a key");
          if (!String(nullptr)) return false;
          SkipSpace();
          if (Peek() != ':') return Fail("expected ':'");
          ++pos_;
          if (!Value(depth + 1)) return false;
          SkipSpace();
          if (Peek() == ',') {
            ++pos_;
            continue;
          }
          if (Peek() == '}') {
            ++pos_;
            return true;
          }
          return Fail("expected ',' or '}'");
        }
      }
      case '[': {
        ++pos_;
        SkipSpace();
        if (Peek() == ']') {
          ++pos_;
          return true;
        }
        while (true) {
          if (!Value(depth + 1)) return false;
          SkipSpace();
          if (Peek() == ',') {
            ++pos_;
            continue;
          }
          if (Peek() == ']') {
            ++pos_;
            return true;
          }
          return Fail("expected ',' or ']'");
        }
      }
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (Peek() == '-' || (Peek() >= '0' && Peek() <= '9')) return Number();
        return Fail(AtEnd() ? "unexpected end of line" : "unexpected character");
    }
  }

  bool invalid_utf8() const { return invalid_utf8_; }
  std::string_view source() const { return s_; }
  void set_pos(size_t p) { pos_ = p; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
  bool invalid_utf8_ = false;
};

// A lenient scanner for ReadJsonStrings: lone surrogates become U+FFFD and the bytes inside
// strings are copied as they are (no UTF-8 validation). Depth is bounded to keep the stack small.
class LenientScanner {
 public:
  explicit LenientScanner(std::string_view s) : s_(s) {}

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

enum class Kind { kNone, kString, kNumber, kNull, kOther };

struct FieldValue {
  Kind kind = Kind::kNone;
  size_t begin = 0;  // raw value bytes [begin, end)
  size_t end = 0;
};

}  // namespace

std::optional<absl::CivilDay> ParseIsoDate(std::string_view s) {
  if (s.size() < 10) return std::nullopt;
  auto digits = [&](size_t from, size_t n, int* v) {
    *v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      *v = *v * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, &y) || s[4] != '-' || !digits(5, 2, &m) || s[7] != '-' || !digits(8, 2, &d)) {
    return std::nullopt;
  }
  if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const absl::CivilDay day(y, m, d);
  if (day.month() != m || day.day() != d) return std::nullopt;  // e.g. Feb 30 normalised away
  return day;
}

bool ParseJsonlRecord(std::string_view line, const JsonlFields& fields, JsonlRecord* out,
                      JsonlError* error) {
  out->text.clear();
  out->date.reset();
  out->id_json.clear();
  // Tolerate a trailing carriage return (CRLF files) and a UTF-8 byte order mark.
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);

  JsonParser p(line);
  p.SkipSpace();
  if (p.Peek() != '{') {
    const bool blank = p.AtEnd();
    error->kind = "bad_json";
    error->message = blank ? "empty line" : "the record is not a JSON object";
    return false;
  }
  FieldValue text_v, date_v, id_v;
  // Walk the top-level object, remembering where the three fields are.
  p.set_pos(p.pos() + 1);
  bool ok = true;
  p.SkipSpace();
  if (p.Peek() == '}') {
    p.set_pos(p.pos() + 1);
  } else {
    std::string key;
    while (ok) {
      p.SkipSpace();
      if (p.Peek() != '"') {
        ok = p.Fail("expected a key");
        break;
      }
      key.clear();
      if (!(ok = p.String(&key))) break;
      p.SkipSpace();
      if (p.Peek() != ':') {
        ok = p.Fail("expected ':'");
        break;
      }
      p.set_pos(p.pos() + 1);
      p.SkipSpace();
      FieldValue v;
      v.begin = p.pos();
      const char c = p.Peek();
      v.kind = c == '"'                               ? Kind::kString
               : c == 'n'                             ? Kind::kNull
               : (c == '-' || (c >= '0' && c <= '9')) ? Kind::kNumber
                                                      : Kind::kOther;
      if (!(ok = p.Value(1))) break;
      v.end = p.pos();
      if (key == fields.text_field) text_v = v;
      if (!fields.date_field.empty() && key == fields.date_field) date_v = v;
      if (key == fields.id_field) id_v = v;
      p.SkipSpace();
      if (p.Peek() == ',') {
        p.set_pos(p.pos() + 1);
        continue;
      }
      if (p.Peek() == '}') {
        p.set_pos(p.pos() + 1);
        break;
      }
      ok = p.Fail("expected ',' or '}'");
    }
  }
  if (ok) {
    p.SkipSpace();
    if (!p.AtEnd()) ok = p.Fail("trailing characters after the object");
  }
  if (!ok) {
    error->kind = p.invalid_utf8() ? "invalid_utf8" : "bad_json";
    error->message = p.error();
    return false;
  }
  // The id: strings and numbers are kept as JSON; anything else is an error.
  if (id_v.kind == Kind::kString || id_v.kind == Kind::kNumber) {
    out->id_json.assign(line.data() + id_v.begin, id_v.end - id_v.begin);
  } else if (id_v.kind == Kind::kOther) {
    error->kind = "wrong_type";
    error->message = absl::StrCat("field \"", fields.id_field, "\" is not a string or number");
    return false;
  }
  if (text_v.kind == Kind::kNone) {
    error->kind = "missing_field";
    error->message = absl::StrCat("no field \"", fields.text_field, "\"");
    return false;
  }
  if (text_v.kind != Kind::kString) {
    error->kind = "wrong_type";
    error->message = absl::StrCat("field \"", fields.text_field, "\" is not a string");
    return false;
  }
  JsonParser tp(line);
  tp.set_pos(text_v.begin);
  tp.String(&out->text);  // validated above
  if (!fields.date_field.empty()) {
    if (date_v.kind == Kind::kNone) {
      error->kind = "missing_field";
      error->message = absl::StrCat("no field \"", fields.date_field, "\"");
      return false;
    }
    if (date_v.kind == Kind::kString) {
      std::string date;
      JsonParser dp(line);
      dp.set_pos(date_v.begin);
      dp.String(&date);
      out->date = ParseIsoDate(date);
      if (!out->date) {
        error->kind = "bad_date";
        // The binding's wording (python/_core_args.h): the field, then the value cut to 40
        // bytes (not inside a UTF-8 sequence) and quoted, control bytes and quotes escaped.
        size_t cut = std::min<size_t>(date.size(), 40);
        while (cut > 0 && cut < date.size() && (static_cast<uint8_t>(date[cut]) & 0xC0) == 0x80) {
          --cut;
        }
        error->message =
            absl::StrCat(fields.date_field, ": '", absl::Utf8SafeCHexEscape(date.substr(0, cut)),
                         "' is not an ISO date (YYYY-MM-DD)");
        return false;
      }
    } else if (date_v.kind != Kind::kNull) {
      error->kind = "wrong_type";
      error->message = absl::StrCat("field \"", fields.date_field, "\" is not a string");
      return false;
    }
  }
  return true;
}

absl::Status ReadJsonStrings(std::string_view json, const std::vector<std::string_view>& keys,
                             std::vector<std::optional<std::string>>* values) {
  values->assign(keys.size(), std::nullopt);
  LenientScanner sc(json);
  sc.SkipWs();
  if (!sc.Consume('{')) return absl::InvalidArgumentError("JSON object expected");
  sc.SkipWs();
  if (sc.Consume('}')) return absl::OkStatus();
  std::string key;
  while (true) {
    sc.SkipWs();
    if (!sc.String(&key)) return absl::InvalidArgumentError("bad JSON object key");
    sc.SkipWs();
    if (!sc.Consume(':')) return absl::InvalidArgumentError("expected ':' in JSON object");
    sc.SkipWs();
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it != keys.end() && sc.Peek() == '"') {
      std::string value;
      if (!sc.String(&value)) return absl::InvalidArgumentError("bad JSON string value");
      (*values)[it - keys.begin()] = std::move(value);
    } else if (!sc.SkipValue(0)) {
      return absl::InvalidArgumentError(absl::StrCat("bad JSON value for ", key));
    }
    sc.SkipWs();
    if (sc.Consume('}')) return absl::OkStatus();
    if (!sc.Consume(',')) return absl::InvalidArgumentError("expected ',' in JSON object");
  }
}

}  // namespace newsparse
