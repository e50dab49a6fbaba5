// Crc32 (the checksum of every model file) against zlib's crc32 on random buffers of every length
// up to 4096 (at all 16 alignments), and on the model files the project ships; AllocateLarge
// (the weight rows' and caches' memory) with and without huge pages.
#include "core/ner_model.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <new>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace newsparse::ner {
namespace {

uint32_t ZlibCrc(std::string_view bytes) {
  return static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// The kernel's transparent huge page mode: "always", "madvise" or "never" ("" when unknown).
std::string ThpMode() {
  std::ifstream f("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  std::getline(f, line);
  const size_t b = line.find('['), e = line.find(']');
  return b != std::string::npos && e > b ? line.substr(b + 1, e - b - 1) : "";
}

TEST(AllocateLargeTest, ZeroFilledAlignedAndWritableWithAndWithoutHugePages) {
  for (bool allowed : {true, false}) {
    SetHugePagesAllowed(allowed);
    for (size_t bytes : {size_t{0}, size_t{1}, size_t{4096}, kHugePageBytes - 1, kHugePageBytes,
                         kHugePageBytes + 1, 5 * kHugePageBytes + 12345}) {
      bool huge = true;
      void* p = AllocateLarge(bytes, &huge);
      if (bytes == 0) {
        EXPECT_EQ(p, nullptr);
        EXPECT_FALSE(huge);
        continue;
      }
      ASSERT_NE(p, nullptr);
      const auto addr = reinterpret_cast<uintptr_t>(p);
      EXPECT_EQ(addr % 64, 0u) << bytes;
      const unsigned char* c = static_cast<const unsigned char*>(p);
      size_t nonzero = 0;
      for (size_t i = 0; i < bytes; ++i) nonzero += c[i] != 0;
      EXPECT_EQ(nonzero, 0u) << bytes;
      memset(p, 0x5a, bytes);  // every byte is writable
      EXPECT_EQ(c[bytes - 1], 0x5a);
#if defined(__linux__)
      const std::string mode = ThpMode();
      if (bytes >= kHugePageBytes) {
        EXPECT_EQ(addr % kHugePageBytes, 0u) << bytes;
        if (mode == "madvise" || mode == "always") EXPECT_EQ(huge, allowed) << bytes;
      } else {
        EXPECT_FALSE(huge) << bytes;
      }
#endif
      if (!allowed) EXPECT_FALSE(huge);
      FreeLarge(p, bytes);
    }
  }
  SetHugePagesAllowed(true);
}

TEST(AllocateLargeTest, VectorWithLargeAllocatorGrowsAndCopies) {
  std::vector<int16_t, LargeAllocator<int16_t>> v;
  for (int i = 0; i < 3 * static_cast<int>(kHugePageBytes / 2); ++i) {
    v.push_back(static_cast<int16_t>(i * 7));  // reallocates across the 2 MB threshold
  }
  std::vector<int16_t, LargeAllocator<int16_t>> w = v;
  ASSERT_EQ(w.size(), v.size());
  EXPECT_EQ(w, v);
  EXPECT_EQ(w[12345], static_cast<int16_t>(12345 * 7));
  EXPECT_EQ(w.back(), static_cast<int16_t>((w.size() - 1) * 7));
}

TEST(AllocateLargeTest, LargeBufferMovesAndResets) {
  LargeBuffer a;
  a.Reset(3 * kHugePageBytes);
  ASSERT_NE(a.data(), nullptr);
  static_cast<char*>(a.data())[100] = 7;
  LargeBuffer b = std::move(a);
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(b.size(), 3 * kHugePageBytes);
  EXPECT_EQ(static_cast<char*>(b.data())[100], 7);
  b.Reset(1000);  // a new, zero-filled block
  EXPECT_EQ(b.size(), 1000u);
  EXPECT_EQ(static_cast<char*>(b.data())[100], 0);
}

// A LargeBuffer reset with a capacity grows in place up to it (same address, contents kept, the
// added bytes zero), and beyond it into a new block with the contents copied; huge pages or not.
TEST(AllocateLargeTest, LargeBufferGrowsInPlaceKeepingItsContents) {
  for (bool allowed : {true, false}) {
    SetHugePagesAllowed(allowed);
    for (size_t first : {size_t{1000}, size_t{64} << 10, 3 * kHugePageBytes}) {
      LargeBuffer a;
      a.Reset(first, 8 * kHugePageBytes);
      ASSERT_NE(a.data(), nullptr);
      EXPECT_EQ(a.size(), first);
#if defined(__linux__)
      EXPECT_EQ(a.capacity(), 8 * kHugePageBytes);
#endif
      void* const at = a.data();
      memset(a.data(), 0x3c, first);
      size_t size = first;
      for (size_t bytes : {2 * first, kHugePageBytes + 4096, 8 * kHugePageBytes}) {
        if (bytes <= size) continue;
        a.Grow(bytes);
        if (a.capacity() == 8 * kHugePageBytes) EXPECT_EQ(a.data(), at) << first << " -> " << bytes;
        EXPECT_EQ(a.size(), bytes);
        const unsigned char* c = static_cast<const unsigned char*>(a.data());
        size_t wrong = 0;
        for (size_t i = 0; i < bytes; ++i) wrong += c[i] != (i < first ? 0x3c : 0);
        EXPECT_EQ(wrong, 0u) << first << " -> " << bytes;
        size = bytes;
      }
      if (!allowed) EXPECT_FALSE(a.huge());
      // Past the capacity: a new block, the contents copied.
      a.Grow(9 * kHugePageBytes);
      EXPECT_EQ(a.size(), 9 * kHugePageBytes);
      const unsigned char* c = static_cast<const unsigned char*>(a.data());
      EXPECT_EQ(c[0], 0x3c);
      EXPECT_EQ(c[first - 1], 0x3c);
      EXPECT_EQ(c[first], 0);
      EXPECT_EQ(c[9 * kHugePageBytes - 1], 0);
      LargeArray<uint64_t> arr;  // a small capacity: heap memory, grown by copying
      arr.Reset(100, 1000);
      arr[99] = 5;
      arr.Grow(1000);
      EXPECT_EQ(arr.size(), 1000u);
      EXPECT_EQ(arr[99], 5u);
      EXPECT_EQ(arr[999], 0u);
    }
  }
  SetHugePagesAllowed(true);
}

TEST(Crc32Test, KnownValues) {
  // Which path the other tests check on this machine (zlib's alone where there is no PCLMULQDQ).
  RecordProperty("accelerated", Crc32Accelerated() ? "yes" : "no");
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the CRC-32 check value
  const std::string zeros(4096, '\0');
  EXPECT_EQ(Crc32(zeros), ZlibCrc(zeros));
  const std::string ones(4096, '\xFF');
  EXPECT_EQ(Crc32(ones), ZlibCrc(ones));
}

TEST(Crc32Test, EqualsZlibOnRandomBuffersOfEveryLength) {
  std::mt19937_64 rng(20261127);
  // Length len starts at offset len % 16 (15 spare bytes), so all 16 alignments occur.
  std::string buf(4096 + 15, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  for (size_t len = 0; len <= 4096; ++len) {
    const size_t offset = len % 16;
    const std::string_view s(buf.data() + offset, len);
    const uint32_t want = ZlibCrc(s);
    ASSERT_EQ(Crc32(s), want) << "length " << len << " offset " << offset;
  }
}

TEST(Crc32Test, DetectsEveryOneBitChange) {
  std::mt19937_64 rng(7);
  std::string buf(1000, '\0');
  for (char& c : buf) c = static_cast<char>(rng());
  const uint32_t base = Crc32(buf);
  for (size_t i = 0; i < buf.size(); i += 37) {
    for (int bit = 0; bit < 8; ++bit) {
      buf[i] = static_cast<char>(buf[i] ^ (1 << bit));
      ASSERT_NE(Crc32(buf), base) << i << " " << bit;
      ASSERT_EQ(Crc32(buf), ZlibCrc(buf));
      buf[i] = static_cast<char>(buf[i] ^ (1 << bit));
    }
  }
}

std::string DataDir() {
  const char* env = std::getenv("NEWSPARSE_DATA_DIR");
  return env != nullptr ? env : NEWSPARSE_SOURCE_DATA_DIR;
}

TEST(Crc32Test, EqualsZlibOnShippedModelFiles) {
  int checked = 0;
  bool have_ner_model = false;
  for (const char* name : {"ner.model", "attribution_span.model", "attribution_cue_tagger.model",
                           "ner_clusters.tsv", "ner_gazetteer.tsv", "places.tsv"}) {
    std::ifstream in(DataDir() + "/" + name, std::ios::binary);
    if (!in) continue;
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    EXPECT_EQ(Crc32(bytes), ZlibCrc(bytes)) << name;
    ++checked;
    have_ner_model |= std::string_view(name) == "ner.model";
  }
  // The files are part of the run-time data: their absence is a broken checkout, not a skip.
  EXPECT_TRUE(have_ner_model) << "no ner.model in " << DataDir();
  EXPECT_EQ(checked, 6);
}

// Row() finds each row through the interleaved bitmap word and rank (NerModel::RankWord): every
// row of a table with runs of zero and non-zero rows across many bitmap words (empty words, full
// words, rows past the last full word) is the dense table's row or nullptr, after SetDense and
// after a serialize/parse round trip.
TEST(NerModelTest, RowEqualsTheDenseTableAcrossBitmapWords) {
  NerModel m;
  m.features.clusters = false;
  m.features.gazetteer = false;
  m.rows = 64 * 9 + 23;
  std::vector<int16_t> dense(static_cast<size_t>(m.rows) * kNumLabels, 0);
  std::mt19937 rng(7);
  for (uint32_t r = 0; r < m.rows; ++r) {
    const uint32_t word = r / 64;
    const bool on = word == 2 ? false : word == 4 ? true : rng() % 3 == 0;
    if (!on) continue;
    for (int l = 0; l < kNumLabels; ++l) {
      dense[r * kNumLabels + l] = static_cast<int16_t>(static_cast<int>(rng() % 2001) - 1000);
    }
    dense[r * kNumLabels + r % kNumLabels] = static_cast<int16_t>(r + 1);  // never all zero
  }
  m.SetDense(dense);
  auto bytes = SerializeNerModel(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto back = ParseNerModel(*bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  for (const NerModel* model : {&m, &*back}) {
    size_t found = 0;
    for (uint32_t r = 0; r < m.rows; ++r) {
      const int16_t* want = &dense[r * kNumLabels];
      const bool zero = std::all_of(want, want + kNumLabels, [](int16_t w) { return w == 0; });
      const int16_t* row = model->Row(r);
      if (zero) {
        EXPECT_EQ(row, nullptr) << "row " << r;
        continue;
      }
      ASSERT_NE(row, nullptr) << "row " << r;
      ++found;
      for (int l = 0; l < kNumLabels; ++l) ASSERT_EQ(row[l], want[l]) << "row " << r;
    }
    EXPECT_GT(found, 64u + 100u);  // the full word and rows of the random ones
  }
  // Without `nonzero` (DropBitmap, as a loaded tagger keeps its model) rows are the same and the
  // model serializes to the same bytes, its bitmap read from `rank`.
  NerModel dropped = *back;
  dropped.DropBitmap();
  ASSERT_TRUE(dropped.nonzero.empty());
  for (uint32_t r = 0; r < m.rows; ++r) {
    const int16_t* a = dropped.Row(r);
    const int16_t* b = back->Row(r);
    ASSERT_EQ(a == nullptr, b == nullptr) << "row " << r;
    if (a != nullptr) ASSERT_TRUE(std::equal(a, a + kNumLabels, b)) << "row " << r;
  }
  auto again = SerializeNerModel(dropped);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *bytes);
  dropped.rank.pop_back();  // neither view of the bitmap matches the rows: an error
  EXPECT_FALSE(SerializeNerModel(dropped).ok());
}

}  // namespace
}  // namespace newsparse::ner
