#include "core/arrow_export.h"

#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace newsparse {
namespace {

// Readers of the exported structs, as a consumer would read them.
bool IsValid(const ArrowArray& a, int64_t i) {
  if (a.buffers[0] == nullptr) return true;
  const auto* bits = static_cast<const uint8_t*>(a.buffers[0]);
  return (bits[(a.offset + i) / 8] >> ((a.offset + i) % 8)) & 1;
}
std::string_view StringAt(const ArrowArray& a, int64_t i) {
  const auto* offsets = static_cast<const int32_t*>(a.buffers[1]);
  const auto* chars = static_cast<const char*>(a.buffers[2]);
  return std::string_view(chars + offsets[a.offset + i],
                          offsets[a.offset + i + 1] - offsets[a.offset + i]);
}
int32_t Int32At(const ArrowArray& a, int64_t i) {
  return static_cast<const int32_t*>(a.buffers[1])[a.offset + i];
}
int64_t Int64At(const ArrowArray& a, int64_t i) {
  return static_cast<const int64_t*>(a.buffers[1])[a.offset + i];
}
// [begin, end) of the items of list slot i.
std::pair<int32_t, int32_t> ListRange(const ArrowArray& a, int64_t i) {
  const auto* offsets = static_cast<const int32_t*>(a.buffers[1]);
  return {offsets[a.offset + i], offsets[a.offset + i + 1]};
}
const ArrowSchema& ChildNamed(const ArrowSchema& s, std::string_view name) {
  for (int64_t i = 0; i < s.n_children; ++i) {
    if (s.children[i]->name == name) return *s.children[i];
  }
  ADD_FAILURE() << "no child " << name;
  return s;
}

// A dateline and a body written for this test; the byte offsets below are counted from it.
constexpr std::string_view kText = "ZÜRICH, März 3 (Agence) - Ana Rosa said rain came.";

Article MakeArticle() {
  Article a;
  Dateline d;
  d.span = Span{0, 28};  // "ZÜRICH, März 3 (Agence) - "
  d.place.span = Span{0, 7};
  d.place.city = "Zürich";
  d.place.country = "CH";
  d.places.push_back(d.place);
  d.date = DatelineDate{Span{9, 16}, absl::CivilDay(2024, 3, 3)};
  d.source = Source{Span{18, 24}, "Agence"};
  d.body_start = 28;
  a.dateline = d;
  a.credits.push_back(Credit{"signoff", Span{47, 52}});
  Entity e;
  e.id = 0;
  e.type = EntityType::kPerson;
  e.name = "Ana Rosa";
  e.mentions = {Span{28, 36}};
  e.aliases = {"Rosa"};
  a.entities.push_back(e);
  Attribution at;
  at.kind = AttributionKind::kIndirect;
  at.cue = Span{37, 41};
  at.source = AttributionSource{Span{28, 36}, 0u, std::nullopt};
  at.content = {Span{42, 60}};  // past the end of the text
  a.attributions.push_back(at);
  return a;
}

TEST(ArrowExportTest, SchemaHasTheDocumentedShape) {
  ArrowSchema s;
  ASSERT_TRUE(ExportResultSchema(&s).ok());
  EXPECT_STREQ(s.format, "+s");
  ASSERT_EQ(s.n_children, 6);
  const char* names[] = {"error", "dateline", "credits", "entities", "attributions", "dates"};
  for (int i = 0; i < 6; ++i) EXPECT_STREQ(s.children[i]->name, names[i]);
  const ArrowSchema& dateline = ChildNamed(s, "dateline");
  EXPECT_STREQ(ChildNamed(dateline, "body_start").format, "i");
  EXPECT_STREQ(ChildNamed(ChildNamed(dateline, "places"), "item").format, "+s");
  EXPECT_STREQ(ChildNamed(ChildNamed(s, "error"), "line").format, "l");
  EXPECT_EQ(ChildNamed(s, "error").flags, ARROW_FLAG_NULLABLE);
  // Metadata: one pair, newsparse.schema_version = 1.
  int32_t count;
  std::memcpy(&count, s.metadata, 4);
  EXPECT_EQ(count, 1);
  int32_t key_size;
  std::memcpy(&key_size, s.metadata + 4, 4);
  EXPECT_EQ(std::string_view(s.metadata + 8, key_size), "newsparse.schema_version");
  s.release(&s);
  EXPECT_EQ(s.release, nullptr);
}

TEST(ArrowExportTest, RowsHoldTheArticleWithCodePointOffsets) {
  const int64_t alive = ArrowExportsAlive();
  ArrowResultBuilder b;
  OffsetMap cp;
  cp.Reset(kText);
  b.Append(kText, MakeArticle(), &cp);
  b.AppendError("too_large", "the text is over the limit", 7);
  b.Append(kText, Article(), nullptr);  // nothing found: null dateline, empty lists
  ASSERT_EQ(b.rows(), 3);
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  EXPECT_EQ(b.rows(), 0);
  EXPECT_GT(ArrowExportsAlive(), alive);
  ASSERT_EQ(root.length, 3);
  ASSERT_EQ(root.n_children, 6);

  const ArrowArray& error = *root.children[0];
  EXPECT_FALSE(IsValid(error, 0));
  EXPECT_TRUE(IsValid(error, 1));
  EXPECT_FALSE(IsValid(error, 2));
  EXPECT_EQ(StringAt(*error.children[0], 1), "too_large");
  EXPECT_EQ(StringAt(*error.children[1], 1), "the text is over the limit");
  EXPECT_EQ(Int64At(*error.children[2], 1), 7);

  const ArrowArray& dateline = *root.children[1];
  EXPECT_TRUE(IsValid(dateline, 0));
  EXPECT_FALSE(IsValid(dateline, 1));
  EXPECT_FALSE(IsValid(dateline, 2));
  EXPECT_EQ(StringAt(*dateline.children[0], 0), "ZÜRICH, März 3 (Agence) - ");
  EXPECT_EQ(Int32At(*dateline.children[1], 0), 0);
  EXPECT_EQ(Int32At(*dateline.children[2], 0), 26);  // 28 bytes, two of them in Ü and ä
  const ArrowArray& place = *dateline.children[3];
  EXPECT_EQ(StringAt(*place.children[0], 0), "ZÜRICH");
  EXPECT_EQ(StringAt(*place.children[3], 0), "Zürich");
  EXPECT_FALSE(IsValid(*place.children[4], 0));  // no region: null
  EXPECT_EQ(StringAt(*place.children[5], 0), "CH");
  const ArrowArray& date = *dateline.children[5];
  EXPECT_EQ(StringAt(*date.children[0], 0), "März 3");
  EXPECT_EQ(Int32At(*date.children[1], 0), 8);
  EXPECT_EQ(StringAt(*date.children[3], 0), "2024-03-03");
  EXPECT_FALSE(IsValid(*dateline.children[7], 0));   // no byline
  EXPECT_EQ(Int32At(*dateline.children[8], 0), 26);  // body_start

  const ArrowArray& credits = *root.children[2];
  EXPECT_EQ(ListRange(credits, 0), std::make_pair(0, 1));
  EXPECT_EQ(ListRange(credits, 1), std::make_pair(1, 1));  // an error row: an empty list
  EXPECT_TRUE(IsValid(credits, 1));
  const ArrowArray& credit = *credits.children[0];
  EXPECT_EQ(StringAt(*credit.children[0], 0), "signoff");
  EXPECT_EQ(StringAt(*credit.children[1], 0), "came.");

  const ArrowArray& entity = *root.children[3]->children[0];
  EXPECT_EQ(StringAt(*entity.children[1], 0), "PER");
  EXPECT_EQ(StringAt(*entity.children[2], 0), "Ana Rosa");
  const ArrowArray& mention = *entity.children[3]->children[0];
  EXPECT_EQ(StringAt(*mention.children[0], 0), "Ana Rosa");
  EXPECT_EQ(Int32At(*mention.children[1], 0), 26);
  EXPECT_EQ(StringAt(*entity.children[4]->children[0], 0), "Rosa");
  EXPECT_EQ(ListRange(*entity.children[5], 0), std::make_pair(0, 0));  // no titles

  const ArrowArray& attribution = *root.children[4]->children[0];
  EXPECT_EQ(StringAt(*attribution.children[0], 0), "indirect");
  EXPECT_EQ(StringAt(*attribution.children[1]->children[0], 0), "said");
  EXPECT_EQ(Int32At(*attribution.children[2]->children[3], 0), 0);  // source entity 0
  // The content span runs past the text's end: clamped, as the Python objects are.
  EXPECT_EQ(StringAt(*attribution.children[3]->children[0]->children[0], 0), "rain came.");

  root.release(&root);
  EXPECT_EQ(root.release, nullptr);
  EXPECT_EQ(ArrowExportsAlive(), alive);
}

TEST(ArrowExportTest, ByteOffsetsWithoutAnOffsetMap) {
  ArrowResultBuilder b;
  b.Append(kText, MakeArticle(), nullptr);
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  const ArrowArray& dateline = *root.children[1];
  EXPECT_EQ(Int32At(*dateline.children[2], 0), 28);
  EXPECT_EQ(Int32At(*dateline.children[8], 0), 28);
  root.release(&root);
}

TEST(ArrowExportTest, DateValuesAreWrittenAsFormatCivilTimeWritesThem) {
  // Padded months and days, the ends of the four-digit range, and years outside it (fewer digits,
  // a sign, five digits), which take FormatCivilTime's own path.
  const absl::CivilDay days[] = {absl::CivilDay(1987, 2, 26),  absl::CivilDay(2024, 12, 31),
                                 absl::CivilDay(5, 1, 9),      absl::CivilDay(0, 1, 1),
                                 absl::CivilDay(9999, 12, 31), absl::CivilDay(10000, 1, 1),
                                 absl::CivilDay(-1, 6, 15),    absl::CivilDay(1900, 10, 1)};
  ArrowResultBuilder b;
  for (const absl::CivilDay& day : days) {
    Article a = MakeArticle();
    a.dateline->date->value = day;
    b.Append(kText, a, nullptr);
  }
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  const ArrowArray& value = *root.children[1]->children[5]->children[3];
  for (size_t i = 0; i < std::size(days); ++i) {
    EXPECT_EQ(StringAt(value, static_cast<int64_t>(i)), absl::FormatCivilTime(days[i]));
  }
  EXPECT_EQ(StringAt(value, 0), "1987-02-26");
  root.release(&root);
}

TEST(ArrowExportTest, TheFirstNullAfterManyValidRowsKeepsTheirBits) {
  // The validity bitmap is written from a column's first null on: the rows before it must read
  // as valid whether the null falls on a byte boundary or inside a byte.
  for (int valid_before : {0, 1, 7, 8, 9, 16, 17}) {
    ArrowResultBuilder b;
    for (int i = 0; i < valid_before; ++i) b.Append(kText, MakeArticle(), nullptr);
    b.Append(kText, Article(), nullptr);  // no dateline: a null dateline
    b.Append(kText, MakeArticle(), nullptr);
    ArrowArray root;
    ASSERT_TRUE(b.Finish(&root).ok());
    const ArrowArray& dateline = *root.children[1];
    ASSERT_EQ(dateline.length, valid_before + 2);
    EXPECT_EQ(dateline.null_count, 1);
    for (int i = 0; i < valid_before; ++i) EXPECT_TRUE(IsValid(dateline, i)) << valid_before;
    EXPECT_FALSE(IsValid(dateline, valid_before)) << valid_before;
    EXPECT_TRUE(IsValid(dateline, valid_before + 1)) << valid_before;
    EXPECT_EQ(StringAt(*dateline.children[0], valid_before + 1), "ZÜRICH, März 3 (Agence) - ");
    EXPECT_EQ(root.children[0]->null_count, valid_before + 2);  // no error row
    EXPECT_EQ(root.children[2]->null_count, 0);                 // lists are never null
    EXPECT_EQ(root.children[2]->buffers[0], nullptr);
    root.release(&root);
  }
}

TEST(ArrowExportTest, StringColumnsGrowPastManyReallocations) {
  // Spans of growing length over a long text written here: the string buffer grows many times and
  // every slot still reads back its own slice.
  std::string text;
  for (int i = 0; i < 2000; ++i) text += static_cast<char>('a' + i % 26);
  ArrowResultBuilder b;
  for (uint32_t n = 0; n <= 2000; n += 100) {
    Article a;
    a.dateline.emplace();
    a.dateline->span = Span{0, n};
    a.dateline->body_start = n;
    b.Append(text, a, nullptr);
  }
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  const ArrowArray& span_text = *root.children[1]->children[0];
  ASSERT_EQ(span_text.length, 21);
  for (int64_t i = 0; i < 21; ++i) {
    EXPECT_EQ(StringAt(span_text, i), std::string_view(text).substr(0, i * 100));
  }
  root.release(&root);
}

TEST(ArrowExportTest, AConsumerMayMoveAChildOut) {
  const int64_t alive = ArrowExportsAlive();
  ArrowResultBuilder b;
  b.Append(kText, MakeArticle(), nullptr);
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  ArrowArray moved = *root.children[3];  // the spec's way to move a child out
  root.children[3]->release = nullptr;
  root.release(&root);
  EXPECT_GT(ArrowExportsAlive(), alive);  // the moved child still owns its buffers
  EXPECT_EQ(StringAt(*moved.children[0]->children[2], 0), "Ana Rosa");
  moved.release(&moved);
  EXPECT_EQ(ArrowExportsAlive(), alive);
}

TEST(ArrowExportTest, EmptyBatchAndReuse) {
  ArrowResultBuilder b;
  ArrowArray root;
  ASSERT_TRUE(b.Finish(&root).ok());
  EXPECT_EQ(root.length, 0);
  EXPECT_EQ(root.children[0]->length, 0);
  EXPECT_NE(root.children[0]->children[0]->buffers[2], nullptr);  // non-null even when empty
  root.release(&root);
  b.AppendError("missing_field", "text is null", 0);
  ASSERT_TRUE(b.Finish(&root).ok());
  EXPECT_EQ(root.length, 1);
  EXPECT_EQ(root.children[1]->null_count, 1);
  root.release(&root);
}

}  // namespace
}  // namespace newsparse
