// The gazetteer of the entity tagger: multi-token phrases (places, countries, demonyms, titles,
// first names, organisation suffixes and names) with categories, matched case-insensitively
// (ASCII lower-casing) against a sentence.
//
// File format (data/ner_gazetteer.tsv, built by tools/build_ner_gazetteer.py): '#' comment lines,
// then "phrase<TAB>cat1,cat2" where the phrase's tokens are separated by single spaces. Category
// names are those of kGazetteerCategories; unknown names are an error.
//
// Thread safety: immutable after Parse(); Match() is const and may run on many threads.
#ifndef NEWSPARSE_CORE_NER_GAZETTEER_H_
#define NEWSPARSE_CORE_NER_GAZETTEER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/ner_hash.h"

namespace newsparse {
namespace ner {

// The silver.* categories are phrases that a tagger trained on eng.train labelled often and with
// one dominant type in unlabeled Reuters news (tools/build_ner_silver.py, data/README.md).
inline constexpr std::string_view kGazetteerCategories[] = {
    "loc.city",   "loc.country", "loc.region", "misc.demonym", "per.title",
    "per.first",  "org.suffix",  "org.known",  "time",         "silver.per",
    "silver.org", "silver.loc",  "silver.misc"};
inline constexpr int kNumGazetteerCategories = 13;  // at most 16: 4 bits each in a 64-bit mask
static_assert(kNumGazetteerCategories * 4 <= 64);
inline constexpr int kMaxGazetteerPhrase = 6;  // tokens

// Position of a token in a matched phrase.
enum GazPos : int { kGazB = 0, kGazI = 1, kGazL = 2, kGazU = 3 };

// The bit of a per-token match mask for (category, position).
inline uint64_t GazBit(int category, int pos) { return uint64_t{1} << (category * 4 + pos); }

class Gazetteer {
 public:
  // Parses the file content. Errors: InvalidArgument with the line number.
  static absl::StatusOr<Gazetteer> Parse(std::string_view content);

  // Adds one phrase (tokens separated by single spaces) with a category bit mask (tests).
  void Add(std::string_view phrase, uint32_t category_mask);

  // For tokens with ASCII-lower-cased hashes `lower_hashes[0..n)`, ORs into masks[i] the bit
  // GazBit(category, position) of every phrase occurrence (all lengths, overlapping allowed)
  // covering token i. O(n * kMaxGazetteerPhrase). A token that no phrase can start with is
  // rejected by one bit test (MayStartPhrase) before any probe of the phrase table.
  void Match(const uint64_t* lower_hashes, size_t n, uint64_t* masks) const;

  // False when no phrase starts with the word of ASCII-lower-cased hash `lower_hash`; true for
  // every first word of a phrase (and, as a Bloom-style filter, for a few other words).
  bool MayStartPhrase(uint64_t lower_hash) const {
    const uint64_t slot = (lower_hash * 0x9E3779B97F4A7C15ULL) >> filter_shift_;
    return (first_filter_[slot >> 6] >> (slot & 63)) & 1;
  }

  size_t size() const { return phrases_; }

  // A compact binary image (embedded in the model file), and back. FromBlob errors: DataLoss.
  std::string ToBlob() const;
  static absl::StatusOr<Gazetteer> FromBlob(std::string_view blob);

 private:
  static constexpr uint32_t kPrefixBit = 1u << 31;
  void AddPhrase(std::string_view phrase, uint32_t category_mask);
  // Rebuilds first_filter_ from map_: each key k of the table is read as the key of a first word
  // (UncombineValue(PhraseHashStart(), k)), so the keys of first words, the only ones Match's
  // first probe looks up, all set their bit; longer phrases' keys set a bit each at random.
  void BuildFilter();

  HashTable64<uint32_t> map_;  // phrase hash -> category mask | kPrefixBit
  size_t phrases_ = 0;
  // A bitmap of 2^(64 - filter_shift_) bits, at least 16 per table key (a 1-bit Bloom filter).
  std::vector<uint64_t> first_filter_ = std::vector<uint64_t>(1, 0);
  int filter_shift_ = 58;
};

// Hash of a phrase given the lower-cased hashes of its tokens, one at a time.
inline uint64_t PhraseHashStart() { return 0x5bd1e9955bd1e995ULL; }

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_GAZETTEER_H_
