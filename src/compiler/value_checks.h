#pragma once
// Strict checks of a leaf's value against its field's data type and the leaf's operator
// (predecessor-spec 9.3 strict mode, with fraudgov's tightenings: null refused, booleans are not
// numbers, DATE strings must parse, IN lists non-empty, BETWEEN ordered, REGEX compiled).

#include <boost/json/value.hpp>
#include <string_view>

#include "compiler/diagnostics.h"
#include "compiler/field_catalog.h"
#include "compiler/tree_limits.h"
#include "compiler/validation_context.h"

namespace fraudgov::compiler {

// Any string taken from the tree: at most max_string_bytes and valid UTF-8. Reports at the
// current path.
bool checkText(std::string_view s, const TreeLimits& limits, Diagnostics& diag);

// Checks the leaf's "value" member; findings are reported under <leaf>.value. REGEX patterns are
// compiled (and kept in ctx.regexes when it is set).
bool checkLeafValue(const boost::json::value& value, const FieldSpec& field, domain::Operator op,
                    ValidationContext& ctx);

}  // namespace fraudgov::compiler
