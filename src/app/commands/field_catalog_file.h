#pragma once
// The field catalog `fraudgov evaluate` validates artifacts against: the 26 standard fields
// every deployment is seeded with, or the definitions of a --fields file.

#include <string_view>

#include "common/error.h"
#include "compiler/field_catalog.h"

namespace fraudgov::app::commands {

// domain::standardFields() as a compiler catalog.
compiler::FieldCatalog standardFieldCatalog();

// A JSON array of field definitions exactly as the ruleset export's "fields" member holds them
// ({field_key, field_id, data_type, allowed_operators, multi_value_allowed, is_sensitive}).
// Errors are kValidation with details.errors [{path, message}], paths like "$.fields[1].data_type".
Result<compiler::FieldCatalog> parseFieldDefinitions(std::string_view text);

}  // namespace fraudgov::app::commands
