#include "core/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace newsparse {
namespace {

// Well-formed UTF-8 byte sequences (Unicode 15, Table 3-7): the allowed range of the second byte
// depends on the lead byte; later bytes are always 80..BF.
struct LeadInfo {
  uint8_t length;  // 0 = not a valid lead byte
  uint8_t lo;      // allowed range of the second byte
  uint8_t hi;
};

constexpr LeadInfo LeadFor(unsigned char b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

constexpr std::array<LeadInfo, 256> MakeLeadTable() {
  std::array<LeadInfo, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = LeadFor(static_cast<unsigned char>(i));
  return t;
}
constexpr std::array<LeadInfo, 256> kLead = MakeLeadTable();

CharClass ClassifyWithIcu(char32_t cp) {
  switch (cp) {
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019:
    case 0x00AB:
    case 0x00BB:
    case 0x201E:
    case 0x201A:
    case 0x2039:
    case 0x203A:
    case 0x00B4:
    case 0x201F:
    case 0x201B:
    case 0x300C:
    case 0x300D:
    case 0x300E:
    case 0x300F:
      return CharClass::kQuote;
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
      return CharClass::kDash;
    case 0x0085:
    case 0x2028:
    case 0x2029:
      return CharClass::kNewline;
    case kReplacementChar:
      return CharClass::kSymbol;
    default:
      break;
  }
  const UChar32 c = static_cast<UChar32>(cp);
  if (u_isUWhiteSpace(c) || u_charType(c) == U_FORMAT_CHAR) return CharClass::kSpace;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER:
      return CharClass::kUpper;
    case U_LOWERCASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      return CharClass::kLower;
    case U_DECIMAL_DIGIT_NUMBER:
      return CharClass::kDigit;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return CharClass::kMark;
    case U_DASH_PUNCTUATION:
      return CharClass::kDash;
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      return CharClass::kQuote;
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
      return CharClass::kPunct;
    case U_CONTROL_CHAR:
      return CharClass::kSpace;
    default:
      return CharClass::kSymbol;
  }
}

// Classes of U+0080..U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic), computed once.
constexpr char32_t kTableLimit = 0x800;
const std::array<CharClass, kTableLimit>& TwoByteTable() {
  static const auto* table = [] {
    auto* t = new std::array<CharClass, kTableLimit>();
    for (char32_t cp = 0; cp < kTableLimit; ++cp) {
      (*t)[cp] = cp < 0x80 ? internal::kAsciiClass[cp] : ClassifyWithIcu(cp);
    }
    return t;
  }();
  return *table;
}

}  // namespace

int DecodeUtf8(const char* p, const char* end, char32_t* cp) {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  const LeadInfo info = kLead[s[0]];
  if (info.length == 1) {
    *cp = s[0];
    return 1;
  }
  *cp = kReplacementChar;
  if (info.length == 0) return 1;
  const ptrdiff_t avail = end - p;
  if (avail < 2 || s[1] < info.lo || s[1] > info.hi) return 1;
  char32_t value = s[0] & (0xFF >> (info.length + 1));
  value = (value << 6) | (s[1] & 0x3F);
  for (int i = 2; i < info.length; ++i) {
    if (avail <= i || (s[i] & 0xC0) != 0x80) return i;  // maximal subpart: the valid prefix
    value = (value << 6) | (s[i] & 0x3F);
  }
  *cp = value;
  return info.length;
}

bool IsAscii(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  // 32 bytes a step, OR-ed together before the one test (ASCII text is the common case).
  while (end - p >= 32) {
    uint64_t w[4];
    std::memcpy(w, p, 32);
    if ((w[0] | w[1] | w[2] | w[3]) & 0x8080808080808080ULL) return false;
    p += 32;
  }
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (w & 0x8080808080808080ULL) return false;
    p += 8;
  }
  for (; p < end; ++p) {
    if (static_cast<unsigned char>(*p) & 0x80) return false;
  }
  return true;
}

absl::Status ValidateUtf8(std::string_view text) {
  const char* begin = text.data();
  const char* p = begin;
  const char* end = p + text.size();
  while (p < end) {
    // Skip ASCII runs eight bytes at a time.
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    char32_t cp;
    const int n = DecodeUtf8(p, end, &cp);
    if (cp == kReplacementChar &&
        !(n == 3 && static_cast<unsigned char>(p[0]) == 0xEF &&
          static_cast<unsigned char>(p[1]) == 0xBF && static_cast<unsigned char>(p[2]) == 0xBD)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid UTF-8 at byte ", p - begin));
    }
    p += n;
  }
  return absl::OkStatus();
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

CharClass ClassifyCodePoint(char32_t cp) {
  if (cp < 0x80) return internal::kAsciiClass[cp];
  if (cp < kTableLimit) return TwoByteTable()[cp];
  return ClassifyWithIcu(cp);
}

void OffsetMap::Reset(std::string_view text) {
  text_ = text;
  block_counts_.clear();
  per_byte_.clear();
  ascii_ = IsAscii(text);
  if (ascii_) return;
  valid_ = ValidateUtf8(text).ok();
  if (valid_) {
    // In valid UTF-8 every code point starts with a byte that is not a continuation byte.
    block_counts_.reserve(text.size() / kBlock + 1);
    uint32_t count = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (i % kBlock == 0) block_counts_.push_back(count);
      count += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    }
    return;
  }
  // Invalid text: decode with maximal-subpart replacement and record each byte's code point.
  per_byte_.resize(text.size() + 1);
  const char* begin = text.data();
  const char* end = begin + text.size();
  uint32_t count = 0;
  for (const char* p = begin; p < end;) {
    char32_t cp;
    const int n = DecodeUtf8(p, end, &cp);
    for (int i = 0; i < n; ++i) per_byte_[(p - begin) + i] = count;
    ++count;
    p += n;
  }
  per_byte_[text.size()] = count;
}

uint32_t OffsetMap::ToCodePoint(uint32_t byte) const {
  if (byte > text_.size()) byte = static_cast<uint32_t>(text_.size());
  if (ascii_) return byte;
  if (!valid_) return per_byte_[byte];
  uint32_t block = byte / kBlock;
  // byte == text.size() on an exact block boundary lies past the last recorded block.
  if (block >= block_counts_.size()) block = static_cast<uint32_t>(block_counts_.size()) - 1;
  uint32_t count = block_counts_[block];
  // Count code point starts before `byte` within its block; an offset inside a sequence maps to
  // the code point that contains it.
  for (uint32_t i = block * kBlock; i < byte; ++i) {
    count += (static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80;
  }
  if (byte < text_.size() && (static_cast<unsigned char>(text_[byte]) & 0xC0) == 0x80) --count;
  return count;
}

void AppendJsonEscaped(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      // Copy the run of plain ASCII at once.
      const char* run = p;
      while (p < end) {
        const unsigned char d = static_cast<unsigned char>(*p);
        if (d < 0x20 || d >= 0x80 || d == '"' || d == '\\') break;
        ++p;
      }
      out->append(run, p - run);
      continue;
    }
    if (c < 0x80) {
      switch (c) {
        case '"':
          out->append("\\\"");
          break;
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\b':
          out->append("\\b");
          break;
        case '\f':
          out->append("\\f");
          break;
        default:
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
      }
      ++p;
      continue;
    }
    char32_t cp;
    const int n = DecodeUtf8(p, end, &cp);
    if (cp == kReplacementChar) {
      AppendUtf8(kReplacementChar, out);
    } else if (cp == 0x2028 || cp == 0x2029) {
      out->append(cp == 0x2028 ? "\\u2028" : "\\u2029");  // safe for JavaScript consumers
    } else {
      out->append(p, n);
    }
    p += n;
  }
}

void AsciiLowerInto(std::string_view text, std::string* out) {
  out->resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    (*out)[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
}

absl::Status CasedWithoutMarks(char32_t cp, bool upper, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return absl::InternalError("ICU NFD normalizer unavailable");
  const UChar32 c = static_cast<UChar32>(cp);
  const icu::UnicodeString decomposed =
      nfd->normalize(icu::UnicodeString(upper ? u_toupper(c) : u_tolower(c)), status);
  if (U_FAILURE(status)) return absl::InternalError("ICU normalization failed");
  icu::UnicodeString kept;
  for (int32_t k = 0; k < decomposed.length();) {
    const UChar32 part = decomposed.char32At(k);
    if (u_charType(part) != U_NON_SPACING_MARK) kept.append(part);
    k += U16_LENGTH(part);
  }
  out->clear();
  kept.toUTF8String(*out);
  return absl::OkStatus();
}

}  // namespace newsparse
