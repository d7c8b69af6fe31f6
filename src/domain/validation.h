#pragma once
// Input problems reported together: every failed check becomes one {path, message} entry in a
// single 422 (SPEC §4: details.errors).

#include <string>
#include <vector>

#include "common/error.h"

namespace fraudgov::domain {

struct FieldIssue {
  std::string path;  // location in the input, e.g. "allowed_operators[2]" or "query.limit"
  std::string message;
};

// kValidation; the message is the single issue's, or a summary when there are several.
Error validationError(const std::vector<FieldIssue>& issues);
Error validationError(std::string path, std::string message);

}  // namespace fraudgov::domain
