#include "api/request_body.h"

#include "common/json.h"
#include "common/text.h"
#include "domain/validation.h"

namespace fraudgov::api {

namespace {
bool isJsonMediaType(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  const std::string type = text::toLower(text::trim(content_type.substr(0, semicolon)));
  if (type != "application/json") return false;
  if (semicolon == std::string_view::npos) return true;
  // Only a UTF-8 charset parameter is meaningful for JSON (RFC 8259 §8.1).
  const std::string params = text::toLower(text::trim(content_type.substr(semicolon + 1)));
  return params.empty() || params == "charset=utf-8" || params == "charset=\"utf-8\"";
}
}  // namespace

Result<boost::json::object> jsonObjectBody(const http::Request& request) {
  const auto content_type = request.headers.get("Content-Type");
  if (!request.body.empty() && (!content_type || !isJsonMediaType(*content_type))) {
    return fail(Error::unsupportedFormat("Content-Type must be application/json"));
  }
  if (request.body.empty()) {
    return fail(domain::validationError("body", "Request body is required"));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(boost::json::value body, json::parseStrict(request.body));
  if (!body.is_object()) {
    return fail(domain::validationError("body", "Request body must be a JSON object"));
  }
  return std::move(body.as_object());
}

Result<boost::json::object> optionalJsonObjectBody(const http::Request& request) {
  if (request.body.empty()) return boost::json::object{};
  return jsonObjectBody(request);
}

}  // namespace fraudgov::api
