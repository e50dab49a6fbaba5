#include "core/json_value.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "core/jsonl.h"
#include "core/status.h"
#include "core/text.h"

namespace newsparse {

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string_view JsonValue::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "boolean";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "?";
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n;
  uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
      (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
    return 0;
  }
  return n;
}

}  // namespace

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  absl::StatusOr<JsonValue> Run() {
    JsonValue v;
    NEWSPARSE_RETURN_IF_ERROR(Value(&v, 0));
    Space();
    if (i_ != s_.size()) return Error("end of input");
    return v;
  }

 private:
  absl::Status Error(std::string_view expected) const {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON: expected ", ToAbsl(expected), " at byte ", i_));
  }

  void Space() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }

  bool Literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  absl::Status Value(JsonValue* v, int depth) {
    if (depth > kMaxJsonDepth) return Error("less nesting");
    Space();
    if (i_ >= s_.size()) return Error("a value");
    const char c = s_[i_];
    if (c == '{') return Object(v, depth);
    if (c == '[') return Array(v, depth);
    if (c == '"') {
      v->kind_ = JsonValue::Kind::kString;
      return String(&v->string_);
    }
    if (Literal("true") || Literal("false")) {
      v->kind_ = JsonValue::Kind::kBool;
      v->bool_ = s_[i_ - 1] == 'e' && s_[i_ - 2] == 'u';
      return absl::OkStatus();
    }
    if (Literal("null")) {
      v->kind_ = JsonValue::Kind::kNull;
      return absl::OkStatus();
    }
    return Number(v);
  }

  absl::Status Number(JsonValue* v) {
    const size_t start = i_;
    auto digits = [&] {
      const size_t b = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - b;
    };
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    const size_t int_start = i_;
    const size_t n = digits();
    if (n == 0 || (n > 1 && s_[int_start] == '0')) return Error("a value");
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (digits() == 0) return Error("a digit");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) return Error("a digit");
    }
    v->kind_ = JsonValue::Kind::kNumber;
    v->number_ = std::strtod(std::string(s_.substr(start, i_ - start)).c_str(), nullptr);
    return absl::OkStatus();
  }

  absl::Status Hex4(uint32_t* out) {
    if (i_ + 4 > s_.size()) return Error("four hex digits");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v |= c - 'A' + 10;
      } else {
        --i_;
        return Error("a hex digit");
      }
    }
    *out = v;
    return absl::OkStatus();
  }

  absl::Status String(std::string* out) {
    ++i_;  // opening quote
    while (true) {
      if (i_ >= s_.size()) return Error("a closing quote");
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return absl::OkStatus();
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("an escaped control character");
      if (c != '\\') {
        const size_t n = Utf8Length(s_, i_);
        if (n == 0) return Error("valid UTF-8");
        out->append(s_.substr(i_, n));
        i_ += n;
        continue;
      }
      if (++i_ >= s_.size()) return Error("an escape");
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          NEWSPARSE_RETURN_IF_ERROR(Hex4(&cp));
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = 0;
            if (!Literal("\\u")) return Error("a low surrogate");
            NEWSPARSE_RETURN_IF_ERROR(Hex4(&lo));
            if (lo < 0xDC00 || lo > 0xDFFF) return Error("a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Error("a high surrogate first");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --i_;
          return Error("a valid escape");
      }
    }
  }

  absl::Status Array(JsonValue* v, int depth) {
    v->kind_ = JsonValue::Kind::kArray;
    ++i_;
    Space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return absl::OkStatus();
    }
    while (true) {
      v->array_.emplace_back();
      NEWSPARSE_RETURN_IF_ERROR(Value(&v->array_.back(), depth + 1));
      Space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return absl::OkStatus();
      }
      return Error("',' or ']'");
    }
  }

  absl::Status Object(JsonValue* v, int depth) {
    v->kind_ = JsonValue::Kind::kObject;
    ++i_;
    Space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return absl::OkStatus();
    }
    while (true) {
      Space();
      if (i_ >= s_.size() || s_[i_] != '"') return Error("a member name");
      std::string key;
      const size_t key_at = i_;
      NEWSPARSE_RETURN_IF_ERROR(String(&key));
      if (v->Find(key) != nullptr) {
        i_ = key_at;
        return Error(absl::StrCat("a member name not seen before (\"", key, "\")"));
      }
      Space();
      if (i_ >= s_.size() || s_[i_] != ':') return Error("':'");
      ++i_;
      JsonValue member;
      NEWSPARSE_RETURN_IF_ERROR(Value(&member, depth + 1));
      v->members_.emplace_back(std::move(key), std::move(member));
      Space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return absl::OkStatus();
      }
      return Error("',' or '}'");
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

absl::StatusOr<JsonValue> ParseJson(std::string_view text) { return JsonParser(text).Run(); }

}  // namespace newsparse
