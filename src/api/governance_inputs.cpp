#include "api/governance_inputs.h"

#include "api/object_reader.h"
#include "common/uuid.h"

namespace fraudgov::api {

Result<std::string> uuidParam(const http::Request& request, std::string_view name, std::string_view what) {
  auto id = uuid::normalize(request.pathParam(name).value_or(""));
  if (!id) return fail(Error::notFound(std::string(what) + " not found"));
  return *id;
}

Result<service::SubmitInput> readSubmit(const boost::json::object& body) {
  ObjectReader reader(body);
  service::SubmitInput input;
  if (auto key = reader.optionalString("idempotency_key", true)) input.idempotency_key = *key;
  if (input.idempotency_key && input.idempotency_key->size() > 255) {
    reader.issue("idempotency_key", "idempotency_key must be at most 255 characters");
  }
  if (auto remarks = reader.optionalString("remarks", true)) input.remarks = *remarks;
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  return input;
}

Result<service::DecisionInput> readDecision(const boost::json::object& body) {
  ObjectReader reader(body);
  service::DecisionInput input;
  if (auto remarks = reader.optionalString("remarks", true)) input.remarks = *remarks;
  (void)reader.optionalString("idempotency_key", true);
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  return input;
}

}  // namespace fraudgov::api
