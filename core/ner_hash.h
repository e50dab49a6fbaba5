// Hashing helpers shared by the entity-recognition stage (clusters, gazetteer, features).
//
// Words are identified by a 64-bit hash of their bytes everywhere in the NER stage: the cluster
// table and the gazetteer are keyed by it, so a lookup never compares strings. The hashes are part
// of the model file format: changing them requires a new model format version.
//
// Thread safety: pure functions.
#ifndef NEWSPARSE_CORE_NER_HASH_H_
#define NEWSPARSE_CORE_NER_HASH_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace newsparse {
namespace ner {

inline constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
inline constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// ASCII lower-casing of one byte; other bytes (UTF-8 lead and continuation bytes) unchanged.
inline unsigned char AsciiLower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

// FNV-1a over the bytes of `s`.
inline uint64_t HashBytes(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return h;
}

// FNV-1a over the ASCII-lower-cased bytes of `s`.
inline uint64_t HashLower(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (unsigned char c : s) h = (h ^ AsciiLower(c)) * kFnvPrime;
  return h;
}

// FNV-1a over `s` with its first byte ASCII-upper-cased and the rest lower-cased ("BERLIN" ->
// the hash of "Berlin").
inline uint64_t HashCapitalized(std::string_view s) {
  uint64_t h = kFnvOffset;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (i == 0) {
      if (c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 32);
    } else {
      c = AsciiLower(c);
    }
    h = (h ^ c) * kFnvPrime;
  }
  return h;
}

// A strong 64-bit finaliser (MurmurHash3 fmix64).
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// The inverse of Mix64: Mix64Inverse(Mix64(x)) == x for every x.
inline uint64_t Mix64Inverse(uint64_t x) {
  x ^= x >> 33;
  x *= 0x9cb4b2f8129337dbULL;  // the inverse of 0xc4ceb9fe1a85ec53 modulo 2^64
  x ^= x >> 33;
  x *= 0x4f74430c22a54005ULL;  // the inverse of 0xff51afd7ed558ccd modulo 2^64
  x ^= x >> 33;
  return x;
}

// Combines a running hash with one more value (order-dependent).
inline uint64_t Combine(uint64_t h, uint64_t v) {
  return Mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6)));
}

// The value v with Combine(h, v) == c (Combine is a bijection in v for a fixed h).
inline uint64_t UncombineValue(uint64_t h, uint64_t c) {
  return (Mix64Inverse(c) ^ h) - 0x9e3779b97f4a7c15ULL - (h << 6);
}

// An open-addressing hash table from 64-bit hashes (already well mixed; 0 is remapped) to small
// values, one cache line probe in the common case. Grows by doubling at half load.
template <typename V>
class HashTable64 {
 public:
  HashTable64() { Reserve(8); }

  void Reserve(size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    if (cap <= slots_.size()) return;
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(cap, Slot());
    mask_ = cap - 1;
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key != 0) *Insert(s.key) = s.value;
    }
  }

  // The value of `key`, default-constructed when new.
  V* Insert(uint64_t key) {
    if (2 * (size_ + 1) > slots_.size()) Reserve(slots_.size());
    key = key == 0 ? 1 : key;
    size_t i = Slot0(key);
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].key == 0) {
      slots_[i].key = key;
      ++size_;
    }
    return &slots_[i].value;
  }

  const V* Find(uint64_t key) const {
    key = key == 0 ? 1 : key;
    size_t i = Slot0(key);
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) return &s.value;
      if (s.key == 0) return nullptr;
      i = (i + 1) & mask_;
    }
  }
  // The value of `key`, `absent` when there is none: Find's answer from four slots a step, read
  // without branching on each (a key's slot is never past an empty one, so the first hit before
  // the first empty slot is the only hit), and a branch only after four slots of other keys. One
  // branch a lookup, rarely taken, instead of one or two that mispredict whenever hits, misses
  // and collisions mix.
  V ValueOr(uint64_t key, V absent) const {
    key = key == 0 ? 1 : key;
    size_t i = Slot0(key);
    constexpr size_t kProbeStep = 4;
    const V* value = &absent;  // a pointer, so that the choice is a conditional move
    while (true) {
      bool done = false;
      for (size_t j = 0; j < kProbeStep; ++j) {
        const Slot& s = slots_[(i + j) & mask_];
        const bool hit = s.key == key;
        value = hit ? &s.value : value;
        done |= hit | (s.key == 0);
      }
      if (done) return *value;
      i = (i + kProbeStep) & mask_;
    }
  }
  V* FindMutable(uint64_t key) { return const_cast<V*>(Find(key)); }
  // Asks the CPU to load the home slot of `key` (Find's first read) into its caches. Always
  // inlined: GCC takes a call that does nothing but prefetch for one without effect, and drops it.
  __attribute__((always_inline)) void Prefetch(uint64_t key) const {
    key = key == 0 ? 1 : key;
    __builtin_prefetch(&slots_[Slot0(key)]);
  }

  size_t size() const { return size_; }

  // Serialization of the slot array (position-preserving, so loading needs no rehashing):
  // `put(key, value)` is called for every slot in order, empty slots with key 0.
  size_t capacity() const { return slots_.size(); }
  template <typename F>
  void ForEachSlot(F put) const {
    for (const Slot& s : slots_) put(s.key, s.value);
  }
  // Replaces the table with `cap` (a power of two >= 16) empty slots, to be filled in slot order
  // by SetSlot(i, key, value). Returns false for a bad capacity.
  bool ResetSlots(size_t cap) {
    if (cap < 16 || (cap & (cap - 1)) != 0) return false;
    slots_.assign(cap, Slot());
    mask_ = cap - 1;
    size_ = 0;
    return true;
  }
  void SetSlot(size_t i, uint64_t key, const V& value) {
    slots_[i].key = key;
    slots_[i].value = value;
    if (key != 0) ++size_;
  }
  // True when every non-empty slot is reachable from its home slot (a loaded table is sound).
  bool Consistent() const {
    if (2 * size_ > slots_.size()) return false;
    for (const Slot& s : slots_) {
      if (s.key != 0 && Find(s.key) != &s.value) return false;
    }
    return true;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    V value{};
  };
  size_t Slot0(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> 32) & mask_;
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace ner
}  // namespace newsparse

#endif  // NEWSPARSE_CORE_NER_HASH_H_
