// The NER model loader (the format of data/ner.model, see core/ner_model.h): any corruption or
// truncation of a model image must give an error status, never a crash; an image that loads must
// tag text.
//
// The fuzzer builds a small but complete model image in memory at start-up (hashed weights,
// an embedded cluster table and gazetteer; a few kilobytes, made by the project's own serializer,
// not the shipped 9.7 MB model). Input layout:
//   byte 0, bit 0 = 0: the rest of the input is a list of edits to that image, 4 bytes each:
//            offset (2 bytes, scaled to the image), op (xor / set / truncate / insert), value;
//          bit 0 = 1: the rest of the input is itself a model image.
//   byte 0, bit 1: recompute the trailing CRC32 after the edits, so that the structural checks
//          behind the checksum are reached as well.
// With NEWSPARSE_WRITE_MODEL_SEED=<path> set, the fuzzer writes its tiny image (raw mode, byte 0 =
// 3) to <path> and exits; fuzz/corpus/model/tiny_raw.bin was made that way.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clusters.h"
#include "core/entities.h"
#include "core/ner_gazetteer.h"
#include "core/ner_model.h"
#include "core/tokenizer.h"

namespace {

using newsparse::ner::kNumLabels;

std::string BuildTinyImage() {
  // word, a class per level (3 levels), log2 of the count.
  auto clusters = newsparse::ner::ClusterTable::Parse(
      "Minister\t1\t3\t7\t5\nsaid\t2\t6\t14\t9\nParis\t3\t9\t21\t4\nthe\t4\t12\t28\t12\n"
      "Bank\t5\t15\t35\t6\nof\t6\t18\t42\t11\nOslo\t7\t21\t49\t3\nLtd\t8\t24\t56\t4\n");
  if (!clusters.ok()) std::abort();
  newsparse::ner::Gazetteer gazetteer;
  gazetteer.Add("paris", 1u << 0);
  gazetteer.Add("new york", 1u << 0);
  gazetteer.Add("minister", 1u << 4);
  gazetteer.Add("bank of oslo", 1u << 7);
  const std::string clusters_blob = clusters->ToBlob();
  const std::string gazetteer_blob = gazetteer.ToBlob();

  newsparse::ner::NerModel m;
  m.features.clusters = true;
  m.features.gazetteer = true;
  m.features.document = true;
  m.rows = 256;
  m.cluster_levels = static_cast<uint32_t>(clusters->levels());
  m.scale = 4.0f;
  std::vector<int16_t> dense(static_cast<size_t>(m.rows) * kNumLabels, 0);
  for (size_t i = 0; i < dense.size(); ++i) {
    if ((i / kNumLabels) % 5 == 1) dense[i] = static_cast<int16_t>(i * 13 % 301 - 150);
  }
  m.SetDense(dense);
  m.clusters_blob = clusters_blob;
  m.gazetteer_blob = gazetteer_blob;
  auto bytes = newsparse::ner::SerializeNerModel(m);
  if (!bytes.ok()) std::abort();
  return *std::move(bytes);
}

const std::string& TinyImage() {
  static const std::string* image = new std::string(BuildTinyImage());
  return *image;
}

void FixCrc(std::string* image) {
  if (image->size() < 4) return;
  const uint32_t crc = newsparse::ner::Crc32(std::string_view(*image).substr(0, image->size() - 4));
  std::memcpy(image->data() + image->size() - 4, &crc, 4);  // little-endian hosts only
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The untouched image must load: otherwise the fuzzer would only ever see errors.
  if (!newsparse::EntityTagger::FromModelBytes(TinyImage(), "/nonexistent").ok()) std::abort();
  if (const char* path = std::getenv("NEWSPARSE_WRITE_MODEL_SEED")) {
    FILE* f = std::fopen(path, "wb");
    if (f == nullptr) std::abort();
    std::fputc(3, f);
    std::fwrite(TinyImage().data(), 1, TinyImage().size(), f);
    std::fclose(f);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string image;
  if (mode & 1) {
    image.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  } else {
    image = TinyImage();
    for (size_t i = 1; i + 4 <= size; i += 4) {
      const size_t at =
          image.empty() ? 0
                        : (static_cast<size_t>(data[i]) << 8 | data[i + 1]) % (image.size() + 1);
      const uint8_t value = data[i + 3];
      switch (data[i + 2] & 3) {
        case 0:
          if (at < image.size()) image[at] = static_cast<char>(image[at] ^ value);
          break;
        case 1:
          if (at < image.size()) image[at] = static_cast<char>(value);
          break;
        case 2:
          image.resize(at);
          break;
        default:
          image.insert(at, 1, static_cast<char>(value));
          break;
      }
    }
  }
  if (mode & 2) FixCrc(&image);

  auto parsed = newsparse::ner::ParseNerModel(image);
  auto tagger = newsparse::EntityTagger::FromModelBytes(image, "/nonexistent");
  if (tagger.ok() && !parsed.ok()) std::abort();  // the loader must not skip the checks
  if (!tagger.ok()) {
    if (tagger.status().message().empty()) std::abort();  // an error says what is wrong
    return 0;
  }
  // A model that loads must tag: spans inside the text, in order.
  constexpr std::string_view kText =
      "PARIS (Wire) - The Minister of Finance said the Bank of Oslo Ltd would pay. "
      "New York officials said \"no\" on Monday.";
  newsparse::Tokens tokens;
  newsparse::Tokenize(kText, &tokens);
  newsparse::NerInput input;
  newsparse::NerInputFromTokens(kText, tokens, &input);
  newsparse::NerScratch scratch;
  std::vector<newsparse::Mention> mentions;
  if (!(*tagger)->TagDocument(input, &scratch, &mentions).ok()) std::abort();
  uint32_t last = 0;
  for (const newsparse::Mention& m : mentions) {
    if (m.span.begin < last || m.span.end <= m.span.begin || m.span.end > kText.size()) {
      std::abort();
    }
    last = m.span.end;
  }
  return 0;
}
