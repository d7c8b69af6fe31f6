#pragma once
// Strict validation of one leaf against the field catalog, producing its normalized form
// {"field":"<key>","op":"<OP>","value":<value as given>}.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "compiler/validation_context.h"

namespace fraudgov::compiler {

struct NormalizedLeaf {
  boost::json::object node;
  std::string field_key;
};

// The node has already been recognized as a leaf (notation A or B; its members are checked by
// classifyNode). Findings go to ctx.diag under the leaf's path: .field, .op/.operator, .value[...].
std::optional<NormalizedLeaf> normalizeLeaf(const boost::json::object& node, ValidationContext& ctx);

}  // namespace fraudgov::compiler
