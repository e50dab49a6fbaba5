#include "core/entities_eval.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/consolidation.h"
#include "core/dates.h"
#include "core/json_value.h"
#include "core/jsonl.h"
#include "core/status.h"

namespace newsparse {
namespace {

absl::Status Bad(std::string_view what) { return absl::InvalidArgumentError(ToAbsl(what)); }

// ASCII letters, digits and any non-ASCII byte count as word characters.
bool IsWordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// True when `surface` occurs at `at` in `text` and does not start or end inside a word.
bool OccursAt(std::string_view text, std::string_view surface, size_t at) {
  if (surface.empty() || at + surface.size() > text.size()) return false;
  if (text.substr(at, surface.size()) != surface) return false;
  if (at > 0 && IsWordByte(text[at - 1]) && IsWordByte(surface.front())) return false;
  const size_t end = at + surface.size();
  if (end < text.size() && IsWordByte(text[end]) && IsWordByte(surface.back())) return false;
  return true;
}

// The first word-bounded occurrence of `surface` at or after `from`, or npos.
size_t FindWord(std::string_view text, std::string_view surface, size_t from) {
  for (size_t at = text.find(surface, from); at != std::string_view::npos;
       at = text.find(surface, at + 1)) {
    if (OccursAt(text, surface, at)) return at;
  }
  return std::string_view::npos;
}

absl::Status StringArray(const JsonValue& obj, std::string_view key, bool required,
                         std::vector<std::string>* out) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) {
    return required ? Bad(absl::StrCat("missing field \"", ToAbsl(key), "\"")) : absl::OkStatus();
  }
  if (!v->is_array()) return Bad(absl::StrCat("\"", ToAbsl(key), "\" must be an array"));
  for (const JsonValue& s : v->array()) {
    if (!s.is_string() || s.str().empty()) {
      return Bad(absl::StrCat("\"", ToAbsl(key), "\" must hold non-empty strings"));
    }
    out->push_back(s.str());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringField(const JsonValue& obj, std::string_view key) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return Bad(absl::StrCat("missing field \"", ToAbsl(key), "\""));
  if (!v->is_string()) return Bad(absl::StrCat("\"", ToAbsl(key), "\" must be a string"));
  return v->str();
}

struct PendingEntity {
  std::vector<std::string> surfaces;
  std::vector<int64_t> offsets;  // empty, or one per surface
  size_t next = 0;
};

// Places every entity's surfaces left to right (see the header).
absl::Status LocateMentions(std::string_view text, uint32_t from, std::vector<PendingEntity>* pend,
                            std::vector<GoldEntity>* entities) {
  size_t cursor = 0;
  (void)from;  // dateline mentions are entity mentions too: locate from the start
  while (true) {
    size_t best_at = std::string_view::npos, best_len = 0;
    std::vector<size_t> best;  // entities tied on the best occurrence
    for (size_t e = 0; e < pend->size(); ++e) {
      PendingEntity& p = (*pend)[e];
      if (p.next >= p.surfaces.size()) continue;
      const std::string& s = p.surfaces[p.next];
      size_t at;
      if (!p.offsets.empty()) {
        at = static_cast<size_t>(p.offsets[p.next]);
        if (at < cursor || !OccursAt(text, s, at)) {
          return Bad(absl::StrCat("entity \"", (*entities)[e].name, "\": mention \"", s,
                                  "\" is not at offset ", at, " (or overlaps the one before)"));
        }
      } else {
        at = FindWord(text, s, cursor);
        if (at == std::string_view::npos) {
          return Bad(absl::StrCat("entity \"", (*entities)[e].name, "\": mention ", p.next + 1,
                                  " \"", s, "\" not found in order"));
        }
      }
      if (best_at == std::string_view::npos || at < best_at ||
          (at == best_at && s.size() > best_len)) {
        best_at = at;
        best_len = s.size();
        best.assign(1, e);
      } else if (at == best_at && s.size() == best_len) {
        best.push_back(e);
      }
    }
    if (best.empty()) return absl::OkStatus();
    if (best.size() > 1) {
      // Entities that pinned this occurrence by offset win; otherwise it is ambiguous.
      std::vector<size_t> pinned;
      for (size_t e : best) {
        if (!(*pend)[e].offsets.empty()) pinned.push_back(e);
      }
      if (pinned.size() != 1) {
        return Bad(absl::StrCat("mention \"", ToAbsl(text.substr(best_at, best_len)), "\" at byte ",
                                best_at, " is the next mention of ", best.size(),
                                " entities: give \"offsets\""));
      }
      best = pinned;
    }
    const size_t e = best[0];
    (*entities)[e].mentions.push_back(
        {static_cast<uint32_t>(best_at), static_cast<uint32_t>(best_at + best_len)});
    ++(*pend)[e].next;
    cursor = best_at + best_len;
  }
}

std::string Norm(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  }
  return out;
}

// `inner` occurs in `outer` at word boundaries (both normalised).
bool ContainsWords(const std::string& outer, const std::string& inner) {
  return !inner.empty() && FindWord(outer, inner, 0) != std::string::npos;
}

double Ratio(double num, double den, bool other_side_empty) {
  if (den > 0) return num / den;
  return other_side_empty ? 1.0 : 0.0;
}

Prf MakePrf(double p, double r) {
  Prf out;
  out.precision = p;
  out.recall = r;
  out.f1 = (p + r) > 0 ? 2 * p * r / (p + r) : 0;
  return out;
}

uint64_t Key(Span s) { return (static_cast<uint64_t>(s.begin) << 32) | s.end; }

std::string Quote(std::string_view s) { return absl::StrCat("\"", ToAbsl(s), "\""); }

}  // namespace

bool ParseEntityType(std::string_view name, EntityType* type) {
  if (name == "PER") {
    *type = EntityType::kPerson;
  } else if (name == "ORG") {
    *type = EntityType::kOrganization;
  } else if (name == "LOC") {
    *type = EntityType::kLocation;
  } else if (name == "MISC") {
    *type = EntityType::kMisc;
  } else {
    return false;
  }
  return true;
}

absl::StatusOr<GoldDoc> ParseGoldRecord(std::string_view line) {
  NEWSPARSE_ASSIGN_OR_RETURN(const JsonValue root, ParseJson(line));
  if (!root.is_object()) return Bad("a gold record must be a JSON object");
  GoldDoc doc;
  NEWSPARSE_ASSIGN_OR_RETURN(doc.id, StringField(root, "id"));
  NEWSPARSE_ASSIGN_OR_RETURN(const std::string date, StringField(root, "date"));
  const std::optional<absl::CivilDay> day = ParseIsoDate(date);
  if (!day || date.size() != 10) return Bad(absl::StrCat("bad \"date\" ", Quote(date)));
  doc.date = *day;
  NEWSPARSE_ASSIGN_OR_RETURN(doc.text, StringField(root, "text"));
  if (root.Find("dateline") != nullptr) {
    NEWSPARSE_ASSIGN_OR_RETURN(const std::string dl, StringField(root, "dateline"));
    if (doc.text.compare(0, dl.size(), dl) != 0)
      return Bad("\"dateline\" is not a prefix of \"text\"");
    doc.body_start = static_cast<uint32_t>(dl.size());
  }
  const JsonValue* ents = root.Find("entities");
  if (ents == nullptr || !ents->is_array()) return Bad("\"entities\" must be an array");
  std::vector<PendingEntity> pending;
  for (const JsonValue& ev : ents->array()) {
    if (!ev.is_object()) return Bad("an entity must be an object");
    GoldEntity e;
    NEWSPARSE_ASSIGN_OR_RETURN(e.name, StringField(ev, "name"));
    NEWSPARSE_ASSIGN_OR_RETURN(const std::string type, StringField(ev, "type"));
    if (!ParseEntityType(type, &e.type)) {
      return Bad(absl::StrCat("entity ", Quote(e.name), ": unknown type ", Quote(type)));
    }
    PendingEntity p;
    NEWSPARSE_RETURN_IF_ERROR(StringArray(ev, "mentions", true, &p.surfaces));
    if (p.surfaces.empty()) return Bad(absl::StrCat("entity ", Quote(e.name), " has no mentions"));
    NEWSPARSE_RETURN_IF_ERROR(StringArray(ev, "aliases", false, &e.aliases));
    NEWSPARSE_RETURN_IF_ERROR(StringArray(ev, "titles", false, &e.titles));
    if (const JsonValue* off = ev.Find("offsets"); off != nullptr) {
      if (!off->is_array() || off->array().size() != p.surfaces.size()) {
        return Bad(absl::StrCat("entity ", Quote(e.name), ": \"offsets\" must match \"mentions\""));
      }
      for (const JsonValue& o : off->array()) {
        // A byte offset is a whole number that fits the text's size type (a huge or fractional
        // number is malformed, not converted: the conversion of 1e117 is undefined).
        if (!o.is_number() || !(o.number() >= 0) || o.number() > 4294967295.0 ||
            o.number() != std::floor(o.number())) {
          return Bad("\"offsets\" must be byte offsets (whole numbers from 0)");
        }
        p.offsets.push_back(static_cast<int64_t>(o.number()));
      }
    }
    doc.entities.push_back(std::move(e));
    pending.push_back(std::move(p));
  }
  NEWSPARSE_RETURN_IF_ERROR(LocateMentions(doc.text, doc.body_start, &pending, &doc.entities));
  const JsonValue* dates = root.Find("dates");
  if (dates != nullptr) {
    if (!dates->is_array()) return Bad("\"dates\" must be an array");
    size_t cursor = doc.body_start;
    for (const JsonValue& dv : dates->array()) {
      if (!dv.is_object()) return Bad("a date must be an object");
      NEWSPARSE_ASSIGN_OR_RETURN(const std::string text, StringField(dv, "text"));
      GoldDate d;
      NEWSPARSE_ASSIGN_OR_RETURN(d.value, StringField(dv, "value"));
      const size_t at = FindWord(doc.text, text, cursor);
      if (at == std::string::npos)
        return Bad(absl::StrCat("date ", Quote(text), " not found in order"));
      d.span = {static_cast<uint32_t>(at), static_cast<uint32_t>(at + text.size())};
      cursor = at + text.size();
      doc.dates.push_back(std::move(d));
    }
  }
  return doc;
}

absl::StatusOr<std::vector<GoldDoc>> LoadEntityGold(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<GoldDoc> docs;
  absl::flat_hash_set<std::string> ids;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    absl::StatusOr<GoldDoc> doc = ParseGoldRecord(line);
    if (!doc.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": line ", n, ": ", doc.status().message()));
    }
    if (!ids.insert(doc->id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": line ", n, ": duplicate id ", doc->id));
    }
    docs.push_back(*std::move(doc));
  }
  return docs;
}

void EntityScorer::Add(const GoldDoc& gold, const Article& predicted) {
  const std::string_view text = gold.text;
  ++acc_.docs;
  const std::string tag = absl::StrCat("[", gold.id, "] ");
  auto note = [&](std::string line) { acc_.disagreements.push_back(absl::StrCat(tag, line)); };

  // Clusters of each side by mention span.
  absl::flat_hash_map<uint64_t, int> gold_of, pred_of;
  std::vector<int> gold_size(gold.entities.size()), pred_size(predicted.entities.size());
  for (size_t g = 0; g < gold.entities.size(); ++g) {
    for (const Span& s : gold.entities[g].mentions) gold_of[Key(s)] = static_cast<int>(g);
    gold_size[g] = static_cast<int>(gold.entities[g].mentions.size());
  }
  // A span listed twice (or by two entities) counts once, for the first entity that lists it.
  for (size_t p = 0; p < predicted.entities.size(); ++p) {
    for (const Span& s : predicted.entities[p].mentions) {
      if (pred_of.emplace(Key(s), static_cast<int>(p)).second) ++pred_size[p];
    }
  }  // overlap[g][p]: matched mentions of gold g in predicted p.
  absl::flat_hash_map<uint64_t, int> overlap;
  auto pair_key = [](int g, int p) {
    return (static_cast<uint64_t>(g) << 32) | static_cast<uint32_t>(p);
  };
  int matched = 0;
  for (const auto& [k, g] : gold_of) {
    if (auto it = pred_of.find(k); it != pred_of.end()) {
      ++overlap[pair_key(g, it->second)];
      ++matched;
    }
  }
  acc_.gold_mentions += static_cast<int>(gold_of.size());
  acc_.predicted_mentions += static_cast<int>(pred_of.size());
  acc_.matched_mentions += matched;

  // B-cubed: strict (a twinless mention scores 0 on the side that lacks it) and over the union
  // (a twinless mention is a singleton on the side that lacks it).
  for (const auto& [k, g] : gold_of) {
    const auto it = pred_of.find(k);
    double r = 0;
    if (it == pred_of.end()) {
      bc_precision_sum_ += 1.0;
      bc_recall_sum_ += 1.0 / gold_size[g];
    } else {
      const double both = overlap[pair_key(g, it->second)];
      bc_precision_sum_ += both / pred_size[it->second];
      bc_recall_sum_ += both / gold_size[g];
      r = both / gold_size[g];
    }
    strict_recall_sum_ += r;
    ++bc_elements_;
  }
  for (const auto& [k, p] : pred_of) {
    const auto it = gold_of.find(k);
    if (it == gold_of.end()) {
      bc_precision_sum_ += 1.0 / pred_size[p];
      bc_recall_sum_ += 1.0;
      ++bc_elements_;
    } else {
      strict_precision_sum_ += static_cast<double>(overlap[pair_key(it->second, p)]) / pred_size[p];
    }
  }

  // Per gold entity: mapping, splits, type, aliases, titles.
  std::vector<int> mapped(gold.entities.size(), -1);
  for (size_t g = 0; g < gold.entities.size(); ++g) {
    const GoldEntity& ge = gold.entities[g];
    ++acc_.gold_entities;
    int best = -1, best_n = 0, parts = 0;
    for (size_t p = 0; p < predicted.entities.size(); ++p) {
      const auto it = overlap.find(pair_key(static_cast<int>(g), static_cast<int>(p)));
      if (it == overlap.end()) continue;
      ++parts;
      if (it->second > best_n) {
        best_n = it->second;
        best = static_cast<int>(p);
      }
    }
    mapped[g] = best;
    for (const Span& s : ge.mentions) {
      if (!pred_of.contains(Key(s))) {
        note(absl::StrCat("missed mention ", Quote(Slice(text, s)), " @", s.begin, " of ",
                          Quote(ge.name)));
      }
    }
    if (parts > 1) {
      std::vector<std::string> pieces;
      for (size_t p = 0; p < predicted.entities.size(); ++p) {
        const auto it = overlap.find(pair_key(static_cast<int>(g), static_cast<int>(p)));
        if (it != overlap.end()) {
          pieces.push_back(absl::StrCat(predicted.entities[p].name, " (", it->second, ")"));
        }
      }
      note(absl::StrCat("split ", Quote(ge.name), " into ", absl::StrJoin(pieces, ", ")));
    }
    const Entity* pe = best >= 0 ? &predicted.entities[best] : nullptr;
    if (pe != nullptr) {
      ++acc_.typed_entities;
      if (pe->type == ge.type) {
        ++typed_correct_;
      } else {
        note(absl::StrCat("type of ", Quote(ge.name), ": ", ToAbsl(EntityTypeName(pe->type)),
                          ", gold ", ToAbsl(EntityTypeName(ge.type))));
      }
    }
    for (const std::string& a : ge.aliases) {
      ++acc_.gold_aliases;
      bool found = false;
      if (pe != nullptr) {
        for (const std::string& pa : pe->aliases) found |= Norm(pa) == Norm(a);
      }
      if (found) {
        ++aliases_found_;
      } else {
        note(absl::StrCat("missing alias ", Quote(a), " of ", Quote(ge.name)));
      }
    }
    for (const std::string& t : ge.titles) {
      ++acc_.gold_titles;
      bool exact = false, lenient = false;
      if (pe != nullptr) {
        for (const std::string& pt : pe->titles) {
          const std::string a = Norm(pt), b = Norm(t);
          exact |= a == b;
          lenient |= a == b || ContainsWords(a, b) || ContainsWords(b, a);
        }
      }
      titles_found_ += exact;
      titles_found_lenient_ += lenient;
      if (!exact) {
        note(absl::StrCat(lenient ? "title differs " : "missing title ", Quote(t), " of ",
                          Quote(ge.name)));
      }
    }
    if (pe != nullptr) {
      for (const std::string& pt : pe->titles) {
        ++acc_.predicted_titles;
        bool ok = false;
        for (const std::string& t : ge.titles) ok |= Norm(pt) == Norm(t);
        if (ok) {
          ++titles_correct_;
        } else {
          note(absl::StrCat("extra title ", Quote(pt), " on ", Quote(ge.name)));
        }
      }
    }
  }
  // Predicted entities that merge gold entities, and spurious mentions.
  for (size_t p = 0; p < predicted.entities.size(); ++p) {
    std::vector<std::string> pieces;
    for (size_t g = 0; g < gold.entities.size(); ++g) {
      const auto it = overlap.find(pair_key(static_cast<int>(g), static_cast<int>(p)));
      if (it != overlap.end())
        pieces.push_back(absl::StrCat(gold.entities[g].name, " (", it->second, ")"));
    }
    if (pieces.size() > 1) {
      note(absl::StrCat("merged into ", Quote(predicted.entities[p].name), ": ",
                        absl::StrJoin(pieces, ", ")));
    }
    for (const Span& s : predicted.entities[p].mentions) {
      if (!gold_of.contains(Key(s))) {
        note(absl::StrCat("extra mention ", Quote(Slice(text, s)), " @", s.begin, " in ",
                          Quote(predicted.entities[p].name)));
      }
    }
  }

  // Dates after the dateline, matched by overlap.
  std::vector<const DateMention*> preds;
  for (const DateMention& d : predicted.dates) {
    if (d.span.begin >= gold.body_start) preds.push_back(&d);
  }
  acc_.gold_dates += static_cast<int>(gold.dates.size());
  acc_.predicted_dates += static_cast<int>(preds.size());
  std::vector<bool> used(preds.size(), false);
  for (const GoldDate& gd : gold.dates) {
    int hit = -1;
    for (size_t i = 0; i < preds.size(); ++i) {
      if (!used[i] && preds[i]->span.begin < gd.span.end && gd.span.begin < preds[i]->span.end) {
        hit = static_cast<int>(i);
        break;
      }
    }
    const std::string_view gt = Slice(text, gd.span);
    if (hit < 0) {
      note(absl::StrCat("missed date ", Quote(gt), " = ", gd.value));
      continue;
    }
    used[hit] = true;
    ++acc_.detected_dates;
    ++predicted_dates_detecting_;
    if (preds[hit]->value == gd.value) {
      ++dates_correct_;
    } else {
      note(absl::StrCat("date ", Quote(gt), " = ", preds[hit]->value, ", gold ", gd.value));
    }
  }
  for (size_t i = 0; i < preds.size(); ++i) {
    if (!used[i]) {
      note(absl::StrCat("extra date ", Quote(Slice(text, preds[i]->span)), " = ", preds[i]->value));
    }
  }
}

EntityEvalResult EntityScorer::Result() const {
  EntityEvalResult r = acc_;
  r.b_cubed_union = bc_elements_ > 0
                        ? MakePrf(bc_precision_sum_ / bc_elements_, bc_recall_sum_ / bc_elements_)
                        : MakePrf(1, 1);
  r.b_cubed = MakePrf(Ratio(strict_precision_sum_, r.predicted_mentions, r.gold_mentions == 0),
                      Ratio(strict_recall_sum_, r.gold_mentions, r.predicted_mentions == 0));
  r.mentions = MakePrf(Ratio(r.matched_mentions, r.predicted_mentions, r.gold_mentions == 0),
                       Ratio(r.matched_mentions, r.gold_mentions, r.predicted_mentions == 0));
  r.type_accuracy = Ratio(typed_correct_, r.typed_entities, r.gold_entities == 0);
  r.alias_accuracy = Ratio(aliases_found_, r.gold_aliases, true);
  r.title_accuracy = Ratio(titles_found_, r.gold_titles, true);
  r.title_accuracy_lenient = Ratio(titles_found_lenient_, r.gold_titles, true);
  r.title_precision = Ratio(titles_correct_, r.predicted_titles, r.gold_titles == 0);
  r.date_accuracy = Ratio(dates_correct_, r.gold_dates, true);
  r.date_detection =
      MakePrf(Ratio(predicted_dates_detecting_, r.predicted_dates, r.gold_dates == 0),
              Ratio(r.detected_dates, r.gold_dates, r.predicted_dates == 0));
  return r;
}

void ParseWithOracleMentions(const GoldDoc& gold, Tokens* tokens, Article* out) {
  out->Clear();
  Tokenize(gold.text, tokens);
  std::vector<Mention> mentions;
  for (const GoldEntity& e : gold.entities) {
    for (const Span& s : e.mentions) mentions.push_back({s, e.type});
  }
  std::sort(mentions.begin(), mentions.end(),
            [](const Mention& a, const Mention& b) { return a.span.begin < b.span.begin; });
  Consolidate(gold.text, *tokens, &mentions, &out->entities);
  FindDates(gold.text, *tokens, 0, gold.date, &out->dates);
}

namespace {
std::string PrfJson(const Prf& p) {
  return absl::StrFormat(R"({"precision":%.4f,"recall":%.4f,"f1":%.4f})", p.precision, p.recall,
                         p.f1);
}
std::string PrfText(const Prf& p) {
  return absl::StrFormat("P %.1f%%  R %.1f%%  F1 %.1f%%", 100 * p.precision, 100 * p.recall,
                         100 * p.f1);
}
}  // namespace

std::string EntityEvalJson(const EntityEvalResult& r) {
  return absl::StrCat(
      "{\"docs\":", r.docs, ",\"b_cubed\":", PrfJson(r.b_cubed),
      ",\"b_cubed_union\":", PrfJson(r.b_cubed_union), ",\"mentions\":", PrfJson(r.mentions),
      absl::StrFormat(",\"type_accuracy\":%.4f,\"alias_accuracy\":%.4f,\"title_accuracy\":%.4f,"
                      "\"title_accuracy_lenient\":%.4f,\"title_precision\":%.4f,"
                      "\"date_accuracy\":%.4f",
                      r.type_accuracy, r.alias_accuracy, r.title_accuracy, r.title_accuracy_lenient,
                      r.title_precision, r.date_accuracy),
      ",\"date_detection\":", PrfJson(r.date_detection),
      absl::StrFormat(",\"counts\":{\"gold_entities\":%d,\"gold_mentions\":%d,"
                      "\"predicted_mentions\":%d,\"matched_mentions\":%d,\"gold_aliases\":%d,"
                      "\"gold_titles\":%d,\"predicted_titles\":%d,\"gold_dates\":%d,"
                      "\"predicted_dates\":%d,\"detected_dates\":%d}}",
                      r.gold_entities, r.gold_mentions, r.predicted_mentions, r.matched_mentions,
                      r.gold_aliases, r.gold_titles, r.predicted_titles, r.gold_dates,
                      r.predicted_dates, r.detected_dates));
}

std::string EntityEvalReport(const EntityEvalResult& r) {
  std::string out = absl::StrFormat(
      "documents        %d (gold entities %d, mentions %d, aliases %d, titles %d, dates %d)\n"
      "B-cubed          %s\n"
      "B-cubed (union)  %s\n"
      "mentions         %s (%d matched of %d gold, %d predicted)\n"
      "type accuracy    %.1f%% (%d mapped entities)\n"
      "alias accuracy   %.1f%%\n"
      "title accuracy   %.1f%% exact, %.1f%% lenient; title precision %.1f%% (%d predicted)\n"
      "date accuracy    %.1f%%; date detection %s (%d predicted)\n",
      r.docs, r.gold_entities, r.gold_mentions, r.gold_aliases, r.gold_titles, r.gold_dates,
      PrfText(r.b_cubed), PrfText(r.b_cubed_union), PrfText(r.mentions), r.matched_mentions,
      r.gold_mentions, r.predicted_mentions, 100 * r.type_accuracy, r.typed_entities,
      100 * r.alias_accuracy, 100 * r.title_accuracy, 100 * r.title_accuracy_lenient,
      100 * r.title_precision, r.predicted_titles, 100 * r.date_accuracy, PrfText(r.date_detection),
      r.predicted_dates);
  absl::StrAppend(&out, "\ndisagreements (", r.disagreements.size(), "):\n");
  for (const std::string& d : r.disagreements) absl::StrAppend(&out, "  ", d, "\n");
  return out;
}

}  // namespace newsparse
