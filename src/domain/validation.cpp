#include "domain/validation.h"

namespace fraudgov::domain {

Error validationError(const std::vector<FieldIssue>& issues) {
  boost::json::array errors;
  for (const auto& i : issues) errors.push_back({{"path", i.path}, {"message", i.message}});
  return Error::validation(issues.size() == 1 ? issues[0].message : "Request validation failed",
                           {{"errors", std::move(errors)}});
}

Error validationError(std::string path, std::string message) {
  return validationError(std::vector<FieldIssue>{{std::move(path), std::move(message)}});
}

}  // namespace fraudgov::domain
