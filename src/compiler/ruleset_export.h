#pragma once
// The offline export of one ruleset version: everything compileRuleset needs, in one JSON
// document, so `fraudgov compile <export.json>` reproduces the artifact without a database.
//
//   {"schema_version":1, "ruleset_id":"...", "version":3, "rule_type":"AUTH",
//    "rules":[{"rule_id","rule_version_id","priority","scope","condition_tree","action"}],
//    "fields":[{"field_key","field_id","data_type","allowed_operators","multi_value_allowed","is_sensitive"}]}
//
// Parsing is strict: every member listed is required, no other member is accepted, enum names
// are the exact upper-case ones, integers must be JSON integers, and field keys are unique. Errors
// are kValidation "Invalid ruleset export: <first message> at <path>" with details.errors
// [{path, message}], paths like "$.rules[2].action". The member values themselves (priority
// range, allowed action, scope shape, the trees) are checked by compileRuleset, the same checks
// as online.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/error.h"
#include "compiler/field_catalog.h"
#include "compiler/ruleset_compiler.h"

namespace fraudgov::compiler {

inline constexpr int kRulesetExportSchemaVersion = 1;

struct RulesetExport {
  RulesetSource source;
  FieldCatalog catalog;
};

Result<RulesetExport> parseExport(const boost::json::value& document);
// The ruleset part of parseExport (the whole document is still validated).
Result<RulesetSource> parseRulesetExport(const boost::json::value& document);

// Fields are written in field_key order and rules in input order, so the same input gives the
// same export.
boost::json::object rulesetExport(const RulesetSource& source, const FieldCatalog& catalog);

// parseExport + compileRuleset: byte-identical to compiling the same data online.
Result<CompiledRuleset> compileExport(const boost::json::value& document);

}  // namespace fraudgov::compiler
