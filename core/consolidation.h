// Entity consolidation: from the tagger's mentions to the entities a reader sees, one per person,
// organisation or place of the article, with every way the article names it.
//
//   "Russian President Vladimir Putin ... Putin said ... the Communist Party of China (CPC) ...
//    the CPC Central Committee"
//   -> Vladimir Putin (PER): mentions "Vladimir Putin", "Putin"; titles "Russian President"
//   -> Communist Party of China (ORG): mentions "Communist Party of China", "CPC", "CPC";
//      aliases "CPC"
//
// Rules (each has a test in consolidation_test.cc):
// - The canonical name is the fullest form. A later (or earlier) short form joins it: a surname
//   or given name alone ("Putin", "Hillary"), a family name first ("Wang Yi" -> "Wang", "Xi
//   Jinping" -> "Xi"), an honorific form ("Mr. Smith", "Ms. Chen"). A short form that two
//   different people share joins the one named most recently; two full names stay apart. A short
//   form may have several words when it ends the full name ("Quiroga Salinas", "bin Salman",
//   "Al Mazrouei"); a single word inside a name of three or more words joins it when no name
//   starts or ends with it ("Ortega" of "Javier Ortega Ruiz"); particles ("bin", "de") never do.
// - Organisations and places join by their normalised name (case, a leading "the", a
//   possessive "'s").
// - Acronyms by the Schwartz-Hearst method (Schwartz & Hearst 2003): "Long Form (SF)" or
//   "SF (Long Form)", also when the short form was used before its definition; the short form
//   becomes an alias and every later use of it outside a longer mention a mention. Short forms
//   may hold digits ("G20"). An organisation's all-capitals short form beside its name of
//   several words counts even when the letters do not match a translated name ("PSOE", "ELN").
//   Without a definition, an acronym joins an earlier organisation or place whose words' initials
//   it spells (or, from three letters, begins): "EPA", "CDC", "U.S." <-> "United States".
//   A company's first word joins its full name when that ends in a company suffix: "Toyota" after
//   "Toyota Motor Corp" (an alias).
// - Titles are attributes, not part of the name: a pre-name title ("Russian President",
//   "Foreign Minister", "U.S. Secretary of State", "Minister of Mining and Heavy Industry",
//   "Ambassador to Russia", "Deputy Director-General", lower-case title words next to the name:
//   "Kremlin spokesman"; never reaching into another person's name)
//   and an appositive role ("Wang Yi, director of the Office of ..."; a leading "a", "the",
//   "also", "its" left out), with the nationality or affiliation as written.
// - Consistency: a mention that joins a cluster takes the cluster's type ("Wang" tagged LOC in a
//   cluster of the person Wang Yi becomes PER).
//
// Cost: linear in tokens, plus mentions times the article's clusters (a mention that the name
// index does not place is compared with each cluster); no ICU. With a warm ConsolidationScratch
// that has the previous result's entities back (RecycleEntities) it allocates only for a
// returned entity larger than the spare ones, for a title or alias longer than std::string's
// inline buffer, and for a name key (a cluster name) longer than 4 KB; nothing else per mention.
// Thread safety: pure function of its inputs; a ConsolidationScratch belongs to one thread.
#ifndef NEWSPARSE_CORE_CONSOLIDATION_H_
#define NEWSPARSE_CORE_CONSOLIDATION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/article.h"
#include "core/tokenizer.h"

namespace newsparse {

// Per-thread scratch of Consolidate: the per-article clusters, name index and buffers, kept
// between articles so that a warm scratch allocates little more than the entities it returns.
// Holds no result; one thread uses it at a time (the engine keeps one in each Workspace).
class ConsolidationScratch {
 public:
  ConsolidationScratch();
  ~ConsolidationScratch();
  ConsolidationScratch(ConsolidationScratch&&) noexcept;
  ConsolidationScratch& operator=(ConsolidationScratch&&) noexcept;

  struct Impl;  // defined in consolidation.cc

 private:
  friend void Consolidate(std::string_view text, const Tokens& tokens,
                          std::vector<Mention>* mentions, std::vector<Entity>* entities,
                          ConsolidationScratch* scratch);
  friend void RecycleEntities(std::vector<Entity>* entities, ConsolidationScratch* scratch);
  std::unique_ptr<Impl> impl_;
};

// Groups `mentions` (in text order, non-overlapping, spans into `text` aligned with `tokens`)
// into `entities` (cleared first; ids are indices, in order of first mention). Mention types may
// be corrected to their cluster's type. Acronym uses that the tagger missed are added to their
// entity's mentions (not to `mentions`). `scratch` is reused across calls (the result does not
// depend on what it held before).
void Consolidate(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions,
                 std::vector<Entity>* entities, ConsolidationScratch* scratch);

// Hands the entities of an earlier result back to `scratch` (leaving `entities` empty), so that
// the next Consolidate with this scratch reuses their strings' and vectors' storage instead of
// allocating. Consolidate does this itself with whatever `entities` holds when it is called; the
// engine calls it before it clears an Article it reuses.
void RecycleEntities(std::vector<Entity>* entities, ConsolidationScratch* scratch);

// The same with a scratch of its own (allocates it on every call).
void Consolidate(std::string_view text, const Tokens& tokens, std::vector<Mention>* mentions,
                 std::vector<Entity>* entities);

// True when `short_form` is an acronym of `long_form` by the Schwartz-Hearst rule: every letter
// or digit of the short form, matched from its end, occurs in the long form in order, and its
// first character starts a word of the long form. Exposed for tests.
bool IsAcronymOf(std::string_view short_form, std::string_view long_form);

}  // namespace newsparse

#endif  // NEWSPARSE_CORE_CONSOLIDATION_H_
