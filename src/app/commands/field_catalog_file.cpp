#include "app/commands/field_catalog_file.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "common/json.h"
#include "compiler/ruleset_export.h"
#include "domain/rule.h"
#include "domain/rule_field.h"

namespace fraudgov::app::commands {

namespace bj = boost::json;

compiler::FieldCatalog standardFieldCatalog() {
  compiler::FieldCatalog catalog;
  for (const auto& f : domain::standardFields()) {
    catalog.emplace(f.field_key, compiler::FieldSpec{f.field_key, f.field_id, f.data_type, f.allowed_operators,
                                                     f.multi_value_allowed, f.is_sensitive});
  }
  return catalog;
}

Result<compiler::FieldCatalog> parseFieldDefinitions(std::string_view text) {
  FRAUDGOV_ASSIGN_OR_RETURN(bj::value fields, json::parseStrict(text));
  // The export parser is the one strict reader of field definitions; wrapping the array in an
  // otherwise empty export reuses it, so --fields accepts exactly what an export's "fields" does.
  const bj::object document{{"schema_version", compiler::kRulesetExportSchemaVersion},
                            {"ruleset_id", "fields"},
                            {"version", 1},
                            {"rule_type", domain::ruleTypeName(domain::RuleType::kAuth)},
                            {"rules", bj::array()},
                            {"fields", std::move(fields)}};
  FRAUDGOV_ASSIGN_OR_RETURN(auto parsed, compiler::parseExport(document));
  return std::move(parsed.catalog);
}

}  // namespace fraudgov::app::commands
