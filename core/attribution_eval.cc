#include "core/attribution_eval.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/corpus.h"
#include "core/json_value.h"
#include "core/status.h"
#include "core/text.h"
#include "core/tokenizer.h"

namespace newsparse {
namespace {

// ---- The gold file ---------------------------------------------------------------------------

using CpSpans = std::vector<std::pair<uint32_t, uint32_t>>;  // code point ranges

// One gold attribution as code point ranges (PolNeAR's offsets are Python str offsets).
struct GoldCp {
  CpSpans cue, source, content;
};

// One record (article and annotator) of a PolNeAR JSON Lines file.
struct GoldArticle {
  std::string id;
  std::string annotator;
  bool primary = false;
  std::string text;
  std::vector<GoldCp> attributions;
};

// Appends the {"start", "end"} objects of `list` (absent: none) to *out; false when malformed.
bool ReadSpans(const JsonValue* list, CpSpans* out) {
  if (list == nullptr) return true;
  if (!list->is_array()) return false;
  for (const JsonValue& s : list->array()) {
    const JsonValue* b = s.Find("start");
    const JsonValue* e = s.Find("end");
    if (b == nullptr || e == nullptr || !b->is_number() || !e->is_number()) return false;
    out->emplace_back(static_cast<uint32_t>(b->number()), static_cast<uint32_t>(e->number()));
  }
  return true;
}

// The records of the gold file at `path` (gzip or plain JSON Lines; blank lines skipped): the
// `primary` ones only, or with `all_annotators` every record (each annotator's annotation of an
// article). Errors: NotFound/DataLoss from reading, and DataLoss naming the line for a record
// that is not JSON or lacks its text, attributions or spans.
absl::StatusOr<std::vector<GoldArticle>> ReadGoldArticles(const std::string& path,
                                                          bool all_annotators = false) {
  NEWSPARSE_ASSIGN_OR_RETURN(std::vector<std::string> lines, ReadLines(path, 0));
  std::vector<GoldArticle> out;
  for (size_t ln = 0; ln < lines.size(); ++ln) {
    if (lines[ln].empty()) continue;
    absl::StatusOr<JsonValue> rec = ParseJson(lines[ln]);
    if (!rec.ok() || !rec->is_object()) {
      return absl::DataLossError(
          absl::StrCat(path, " line ", ln + 1, ": bad JSON", rec.ok() ? " (not an object)" : "",
                       rec.ok() ? "" : absl::StrCat(" (", rec.status().message(), ")")));
    }
    const JsonValue* primary = rec->Find("primary");
    const bool is_primary = primary != nullptr && primary->is_bool() && primary->boolean();
    if (!is_primary && !all_annotators) continue;
    const JsonValue* text = rec->Find("text");
    const JsonValue* atts = rec->Find("attributions");
    if (text == nullptr || !text->is_string() || atts == nullptr || !atts->is_array()) {
      return absl::DataLossError(absl::StrCat(path, " line ", ln + 1, ": no text/attributions"));
    }
    GoldArticle& article = out.emplace_back();
    const JsonValue* id = rec->Find("id");
    if (id != nullptr && id->is_string()) article.id = id->str();
    const JsonValue* annotator = rec->Find("annotator");
    if (annotator != nullptr && annotator->is_string()) article.annotator = annotator->str();
    article.primary = is_primary;
    article.text = text->str();
    for (const JsonValue& a : atts->array()) {
      GoldCp& g = article.attributions.emplace_back();
      if (!ReadSpans(a.Find("cue"), &g.cue) || !ReadSpans(a.Find("source"), &g.source) ||
          !ReadSpans(a.Find("content"), &g.content)) {
        return absl::DataLossError(absl::StrCat(path, " line ", ln + 1, ": bad span list"));
      }
    }
  }
  return out;
}

// ---- Spans as word-token sets ----------------------------------------------------------------

// Word ids per code point (-1 for non-word code points) of one text.
struct WordIndex {
  std::vector<int32_t> word_of;
  std::vector<uint32_t> cp_byte;  // byte offset of each code point (+ one past the end)

  void Build(std::string_view text) {
    word_of.clear();
    cp_byte.clear();
    int32_t next = 0;
    bool in_word = false;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      char32_t cp;
      const int len = DecodeUtf8(p, end, &cp);
      const CharClass k =
          cp < 0x80 ? ClassifyAscii(static_cast<unsigned char>(cp)) : ClassifyCodePoint(cp);
      const bool w = k == CharClass::kUpper || k == CharClass::kLower || k == CharClass::kDigit ||
                     k == CharClass::kMark;
      if (w && !in_word) ++next;
      in_word = w;
      word_of.push_back(w ? next - 1 : -1);
      cp_byte.push_back(static_cast<uint32_t>(p - text.data()));
      p += len;
    }
    cp_byte.push_back(static_cast<uint32_t>(text.size()));
  }
  // The sorted distinct word ids inside `spans`.
  std::vector<int32_t> Words(const CpSpans& spans) const {
    std::vector<int32_t> out;
    for (const auto& [b, e] : spans) {
      for (uint32_t i = b; i < e && i < word_of.size(); ++i) {
        if (word_of[i] >= 0 && (out.empty() || out.back() != word_of[i])) {
          out.push_back(word_of[i]);
        }
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
};

size_t Intersect(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n;
      ++i;
      ++j;
    }
  }
  return n;
}

struct Att {
  CpSpans cue, source, content;
  std::vector<int32_t> wcue, wsource, wcontent;
};

std::string CpText(const std::string& text, const WordIndex& wi, const CpSpans& spans) {
  std::string out;
  for (const auto& [b, e] : spans) {
    if (!out.empty()) out += " | ";
    const uint32_t bb = wi.cp_byte[std::min<size_t>(b, wi.cp_byte.size() - 1)];
    const uint32_t eb = wi.cp_byte[std::min<size_t>(e, wi.cp_byte.size() - 1)];
    out += text.substr(bb, eb - bb);
  }
  for (char& ch : out) {
    if (ch == '\n') ch = ' ';
  }
  return out;
}

// Describes how `pred` differs from `gold` (word-id sets): "too long", "too short", ...
std::string Boundary(const std::vector<int32_t>& pred, const std::vector<int32_t>& gold) {
  const size_t n = Intersect(pred, gold);
  if (n == 0) return "disjoint";
  if (n == gold.size()) return "too long";
  if (n == pred.size()) return "too short";
  return "shifted";
}

// True when a token inside the gold cue `g` was taken as a cue by the last Find (its
// scratch.cue_kind is set): then the cue was seen and no source/content pattern used it.
bool GoldCueFlagged(const Att& g, const WordIndex& wi, const Tokens& tokens,
                    const AttributionScratch& scratch) {
  const size_t last = wi.cp_byte.size() - 1;
  for (const auto& [b, e] : g.cue) {
    const uint32_t bb = wi.cp_byte[std::min<size_t>(b, last)];
    const uint32_t eb = wi.cp_byte[std::min<size_t>(e, last)];
    auto it = std::lower_bound(tokens.tokens.begin(), tokens.tokens.end(), bb,
                               [](const Token& t, uint32_t x) { return t.end <= x; });
    for (; it != tokens.tokens.end() && it->begin < eb; ++it) {
      const size_t i = static_cast<size_t>(it - tokens.tokens.begin());
      if (i < scratch.cue_kind.size() && scratch.cue_kind[i] != 0) return true;
    }
  }
  return false;
}

// The attributions of one annotation as word-id sets of `wi`'s text.
std::vector<Att> GoldAtts(const std::vector<GoldCp>& attributions, const WordIndex& wi) {
  std::vector<Att> out;
  out.reserve(attributions.size());
  for (const GoldCp& a : attributions) {
    Att g;
    g.cue = a.cue;
    g.source = a.source;
    g.content = a.content;
    g.wcue = wi.Words(g.cue);
    g.wsource = wi.Words(g.source);
    g.wcontent = wi.Words(g.content);
    out.push_back(std::move(g));
  }
  return out;
}

// Scores `pred` against `gold` (one article) into *r: matches them one-to-one by cue overlap in
// code points, largest overlap first (the pairs are every pair of overlapping cues; an article's
// attributions are few, so the pairing is not a hot path), and counts the fields, all_exact and
// the matches. The match of each prediction / gold attribution (-1: none) goes to the vectors.
void ScoreArticle(const std::vector<Att>& gold, const std::vector<Att>& pred,
                  AttributionEvalResult* r, std::vector<int64_t>* match_of_pred,
                  std::vector<int64_t>* match_of_gold) {
  struct Cand {
    uint32_t overlap;
    size_t p, g;
  };
  std::vector<Cand> cands;
  for (size_t i = 0; i < pred.size(); ++i) {
    for (size_t j = 0; j < gold.size(); ++j) {
      uint32_t ov = 0;
      for (const auto& [pb, pe] : pred[i].cue) {
        for (const auto& [gb, ge] : gold[j].cue) {
          const uint32_t b = std::max(pb, gb), e = std::min(pe, ge);
          if (e > b) ov += e - b;
        }
      }
      if (ov > 0) cands.push_back({ov, i, j});
    }
  }
  std::stable_sort(cands.begin(), cands.end(),
                   [](const Cand& a, const Cand& b) { return a.overlap > b.overlap; });
  match_of_pred->assign(pred.size(), -1);
  match_of_gold->assign(gold.size(), -1);
  for (const Cand& c : cands) {
    if ((*match_of_pred)[c.p] < 0 && (*match_of_gold)[c.g] < 0) {
      (*match_of_pred)[c.p] = static_cast<int64_t>(c.g);
      (*match_of_gold)[c.g] = static_cast<int64_t>(c.p);
    }
  }

  r->gold += static_cast<int>(gold.size());
  r->predicted += static_cast<int>(pred.size());
  auto field = [&](FieldScores* fs, const std::vector<int32_t> Att::*w) {
    for (const Att& p : pred) {
      if (!(p.*w).empty()) {
        fs->exact.predicted += 1;
        fs->overlap.predicted += (p.*w).size();
      }
    }
    for (const Att& g : gold) {
      if (!(g.*w).empty()) {
        fs->exact.gold += 1;
        fs->overlap.gold += (g.*w).size();
      }
    }
    for (size_t i = 0; i < pred.size(); ++i) {
      if ((*match_of_pred)[i] < 0) continue;
      const Att& p = pred[i];
      const Att& g = gold[(*match_of_pred)[i]];
      if ((p.*w).empty() || (g.*w).empty()) continue;
      if (p.*w == g.*w) fs->exact.tp += 1;
      fs->overlap.tp += Intersect(p.*w, g.*w);
    }
  };
  field(&r->cue, &Att::wcue);
  field(&r->source, &Att::wsource);
  field(&r->content, &Att::wcontent);
  r->all_exact.predicted += pred.size();
  r->all_exact.gold += gold.size();
  for (size_t i = 0; i < pred.size(); ++i) {
    if ((*match_of_pred)[i] < 0) continue;
    const Att& p = pred[i];
    const Att& g = gold[(*match_of_pred)[i]];
    ++r->matched;
    if (p.wcue == g.wcue && p.wsource == g.wsource && p.wcontent == g.wcontent) {
      r->all_exact.tp += 1;
    }
  }
}

// The ids of the articles that some record other than the primary one annotates too.
absl::flat_hash_set<std::string> MultiAnnotatedIds(const std::vector<GoldArticle>& records) {
  absl::flat_hash_set<std::string> primary, others, out;
  for (const GoldArticle& a : records) (a.primary ? primary : others).insert(a.id);
  for (const std::string& id : others) {
    if (primary.contains(id)) out.insert(id);
  }
  return out;
}

}  // namespace

absl::StatusOr<AttributionEvalResult> EvaluateAttributions(const AttributionFinder& finder,
                                                           const std::string& path,
                                                           const std::string& errors_path,
                                                           bool multi_annotated_only) {
  NEWSPARSE_ASSIGN_OR_RETURN(std::vector<GoldArticle> articles,
                             ReadGoldArticles(path, multi_annotated_only));
  absl::flat_hash_set<std::string> keep;
  if (multi_annotated_only) keep = MultiAnnotatedIds(articles);
  std::unique_ptr<std::ofstream> errors;
  if (!errors_path.empty()) {
    errors = std::make_unique<std::ofstream>(errors_path);
    if (!*errors) return absl::NotFoundError(absl::StrCat("cannot write ", errors_path));
  }
  AttributionEvalResult r;
  Tokens tokens;
  AttributionScratch scratch;
  OffsetMap offsets;
  WordIndex wi;
  std::vector<Attribution> predicted;
  const std::vector<Entity> no_entities;
  std::vector<int64_t> match_of_pred, match_of_gold;
  for (const GoldArticle& article : articles) {
    if (!article.primary || (multi_annotated_only && !keep.contains(article.id))) continue;
    const std::string& text = article.text;
    const std::string& id = article.id;
    ++r.articles;
    wi.Build(text);
    const std::vector<Att> gold = GoldAtts(article.attributions, wi);

    Tokenize(text, &tokens);
    finder.Find(text, tokens, no_entities, &scratch, &predicted);
    offsets.Reset(text);
    auto cp = [&](const Span& s) {
      return std::make_pair(offsets.ToCodePoint(s.begin), offsets.ToCodePoint(s.end));
    };
    std::vector<Att> pred;
    for (const Attribution& a : predicted) {
      Att p;
      p.cue.push_back(cp(a.cue));
      if (a.source) p.source.push_back(cp(a.source->span));
      for (const Span& s : a.content) p.content.push_back(cp(s));
      p.wcue = wi.Words(p.cue);
      p.wsource = wi.Words(p.source);
      p.wcontent = wi.Words(p.content);
      pred.push_back(std::move(p));
    }
    ScoreArticle(gold, pred, &r, &match_of_pred, &match_of_gold);

    std::string block;
    auto kind = [&](const std::string& k) { ++r.error_kinds[k]; };
    auto lower_text = [&](const CpSpans& s) {
      std::string t;
      AsciiLowerInto(CpText(text, wi, s), &t);
      return t;
    };
    for (size_t i = 0; i < pred.size(); ++i) {
      const Att& p = pred[i];
      if (match_of_pred[i] < 0) {
        kind("spurious: predicted attribution not in gold");
        ++r.error_kinds[absl::StrCat("  (detail) spurious cue '", lower_text(p.cue), "'")];
        absl::StrAppend(&block, "SPURIOUS cue=[", CpText(text, wi, p.cue), "] source=[",
                        CpText(text, wi, p.source), "] content=[", CpText(text, wi, p.content),
                        "]\n");
        continue;
      }
      const Att& g = gold[match_of_pred[i]];
      const bool cue_ok = p.wcue == g.wcue;
      const bool src_ok = p.wsource == g.wsource;
      const bool con_ok = p.wcontent == g.wcontent;
      if (cue_ok && src_ok && con_ok) continue;
      absl::StrAppend(&block, "MATCHED cue=[", CpText(text, wi, p.cue), "] gold cue=[",
                      CpText(text, wi, g.cue), "]\n");
      if (!cue_ok) {
        kind("cue boundary (adverbs, particles, phrases like 'in a statement')");
        absl::StrAppend(&block, "  CUE differs\n");
      }
      if (!src_ok) {
        if (p.wsource.empty()) {
          kind("source missing");
        } else if (g.wsource.empty()) {
          kind("source predicted, gold has none");
        } else {
          kind(absl::StrCat("source ", Boundary(p.wsource, g.wsource)));
        }
        absl::StrAppend(&block, "  source pred=[", CpText(text, wi, p.source), "]\n  source gold=[",
                        CpText(text, wi, g.source), "]\n");
      }
      if (!con_ok) {
        if (p.wcontent.empty()) {
          kind("content missing");
        } else {
          kind(absl::StrCat("content ", Boundary(p.wcontent, g.wcontent)));
        }
        absl::StrAppend(&block, "  content pred=[", CpText(text, wi, p.content),
                        "]\n  content gold=[", CpText(text, wi, g.content), "]\n");
      }
    }
    for (size_t j = 0; j < gold.size(); ++j) {
      if (match_of_gold[j] >= 0) continue;
      const Att& g = gold[j];
      const std::string cue = lower_text(g.cue);
      std::string first = cue.substr(0, cue.find(' '));
      std::string why;
      auto kind = [&](const std::string& k) {
        ++r.error_kinds[k];
        why = k;
      };
      if (g.cue.empty() || cue.empty()) {
        kind("missed: gold attribution without a cue");
      } else if (!std::isalpha(static_cast<unsigned char>(first[0]))) {
        kind("missed: punctuation cue (colon, dash)");
      } else if (GoldCueFlagged(g, wi, tokens, scratch)) {
        kind("missed: cue word taken as a cue, no source/content pattern fired");
      } else if (finder.CandidateKind(first) != 0 ||
                 finder.CandidateKind(cue.substr(cue.rfind(' ') + 1)) != 0) {
        kind("missed: candidate word, not taken as a cue here (model score, inside a quote)");
      } else if (finder.IsCueWord(first) || finder.IsCueWord(cue.substr(cue.rfind(' ') + 1))) {
        kind("missed: cue word in lexicon, not taken as a cue here");
      } else {
        kind("missed: cue word not in lexicon (nominal, belief, action cues)");
      }
      ++r.error_kinds[absl::StrCat("  (detail) missed cue '", cue, "'")];
      absl::StrAppend(&block, "MISSED cue=[", CpText(text, wi, g.cue), "] source=[",
                      CpText(text, wi, g.source), "] content=[", CpText(text, wi, g.content),
                      "]\n  (", why, ")\n");
    }
    if (errors && !block.empty()) *errors << "=== " << id << "\n" << block << "\n";
  }
  return r;
}

absl::StatusOr<AttributionEvalResult> EvaluateAgreement(const std::string& path) {
  NEWSPARSE_ASSIGN_OR_RETURN(std::vector<GoldArticle> records,
                             ReadGoldArticles(path, /*all_annotators=*/true));
  absl::flat_hash_map<std::string, const GoldArticle*> primary;
  for (const GoldArticle& a : records) {
    if (a.primary) primary.emplace(a.id, &a);
  }
  AttributionEvalResult r;
  absl::flat_hash_set<std::string> seen;
  WordIndex wi;
  std::vector<int64_t> match_of_pred, match_of_gold;
  for (const GoldArticle& other : records) {
    if (other.primary) continue;
    auto it = primary.find(other.id);
    if (it == primary.end()) continue;
    const GoldArticle& gold_record = *it->second;
    if (other.text != gold_record.text) {
      return absl::DataLossError(absl::StrCat(path, ": article ", other.id, " of annotator ",
                                              other.annotator,
                                              " has a text other than its primary record's"));
    }
    wi.Build(gold_record.text);
    if (seen.insert(other.id).second) ++r.articles;
    ++r.comparisons;
    ScoreArticle(GoldAtts(gold_record.attributions, wi), GoldAtts(other.attributions, wi), &r,
                 &match_of_pred, &match_of_gold);
  }
  return r;
}

absl::StatusOr<std::vector<GoldCueArticle>> ReadGoldCues(const std::string& path) {
  NEWSPARSE_ASSIGN_OR_RETURN(std::vector<GoldArticle> articles, ReadGoldArticles(path));
  std::vector<GoldCueArticle> out;
  WordIndex wi;
  for (GoldArticle& article : articles) {
    GoldCueArticle a;
    a.text = std::move(article.text);
    wi.Build(a.text);
    for (const GoldCp& att : article.attributions) {
      const CpSpans& cues = att.cue;
      const CpSpans& sources = att.source;
      const CpSpans& contents = att.content;
      const size_t last = wi.cp_byte.size() - 1;
      auto to_bytes = [&](const CpSpans& cp, std::vector<Span>* out) {
        for (const auto& [b, e] : cp) {
          out->push_back(
              Span{wi.cp_byte[std::min<size_t>(b, last)], wi.cp_byte[std::min<size_t>(e, last)]});
        }
      };
      to_bytes(cues, &a.cues);
      GoldAttributionSpans g;
      to_bytes(cues, &g.cue);
      to_bytes(sources, &g.source);
      to_bytes(contents, &g.content);
      a.attributions.push_back(std::move(g));
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::string AttributionEvalJson(const AttributionEvalResult& r) {
  auto prf = [](const Prf& p) {
    return absl::StrFormat("{\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f}", p.precision(),
                           p.recall(), p.f1());
  };
  auto field = [&](const FieldScores& f) {
    return absl::StrCat("{\"exact\": ", prf(f.exact), ", \"overlap\": ", prf(f.overlap), "}");
  };
  return absl::StrCat("{\"cue\": ", field(r.cue), ", \"source\": ", field(r.source),
                      ", \"content\": ", field(r.content), ", \"all_exact\": ", prf(r.all_exact),
                      ", \"articles\": ", r.articles, ", \"gold\": ", r.gold,
                      ", \"predicted\": ", r.predicted, ", \"matched\": ", r.matched,
                      r.comparisons > 0 ? absl::StrCat(", \"comparisons\": ", r.comparisons) : "",
                      "}");
}

}  // namespace newsparse
