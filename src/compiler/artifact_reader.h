#pragma once
// Reads a compiled artifact (ruleset_compiler.h's AST) back into the source it was compiled from.
// The artifact comes from storage, so it is untrusted: the shape is closed (no missing, extra or
// mistyped member), enum names are exact, evaluation.mode must be the one its ruleType implies and
// velocityFailurePolicy must be "SKIP". Values the compiler itself checks (priority range,
// actions, scopes, trees) are left to compileRuleset: LoadedRuleset recompiles and compares bytes.
//
// Errors: kValidation "Invalid ruleset artifact: <first message> at <path>", details.errors
// [{path, message}], paths like "$.rules[0].priority".

#include <boost/json/value.hpp>

#include "common/error.h"
#include "compiler/ruleset_compiler.h"

namespace fraudgov::compiler {

Result<RulesetSource> readArtifact(const boost::json::value& ast);

}  // namespace fraudgov::compiler
