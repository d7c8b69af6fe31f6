#pragma once
// What the compiler needs to know about each catalog field. The service builds this from the
// field store; the compiler never reads storage itself, so it stays a pure function of its inputs.

#include <string>
#include <unordered_map>
#include <vector>

#include "domain/field_types.h"

namespace fraudgov::compiler {

struct FieldSpec {
  std::string field_key;
  int field_id = 0;
  domain::DataType data_type = domain::DataType::kString;
  std::vector<domain::Operator> allowed_operators;
  bool multi_value_allowed = false;
  bool is_sensitive = false;
  bool operator==(const FieldSpec&) const = default;
};

// Keyed by field_key.
using FieldCatalog = std::unordered_map<std::string, FieldSpec>;

}  // namespace fraudgov::compiler
