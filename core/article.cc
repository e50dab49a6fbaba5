#include "core/article.h"

namespace newsparse {

std::string_view EntityTypeName(EntityType type) {
  switch (type) {
    case EntityType::kPerson:
      return "PER";
    case EntityType::kOrganization:
      return "ORG";
    case EntityType::kLocation:
      return "LOC";
    case EntityType::kMisc:
      return "MISC";
  }
  return "MISC";
}

std::string_view AttributionKindName(AttributionKind kind) {
  switch (kind) {
    case AttributionKind::kDirect:
      return "direct";
    case AttributionKind::kIndirect:
      return "indirect";
    case AttributionKind::kMixed:
      return "mixed";
  }
  return "indirect";
}

void Article::Clear() {
  dateline.reset();
  credits.clear();
  entities.clear();
  attributions.clear();
  dates.clear();
}

}  // namespace newsparse
