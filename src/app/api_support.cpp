#include "app/api_support.h"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "app/request_state.h"
#include "common/json.h"
#include "common/text.h"
#include "http/problem.h"

namespace fraudgov::app {

http::Handler route(std::function<RouteResult(http::Request&)> fn) {
  return [fn = std::move(fn)](http::Request& request) {
    RouteResult result = fn(request);
    if (result) return std::move(*result);
    return http::problemResponse(result.error(), request.request_id);
  };
}

Result<auth::Principal> Guard::authenticate(http::Request& request) const {
  auto& verdict = requestState(request).authentication;
  if (!verdict) {
    verdict = authenticator_.authenticate(request.headers.get("Authorization"));
    if (*verdict) request.principal_label = (*verdict)->label();
  }
  return *verdict;
}

Result<auth::Principal> Guard::require(http::Request& request, std::string_view permission) const {
  FRAUDGOV_ASSIGN_OR_RETURN(auth::Principal principal, authenticate(request));
  if (!principal.hasPermission(permission)) return fail(Error::forbidden());
  return principal;
}

domain::Actor actorFor(const auth::Principal& principal, const http::Request& request) {
  return {principal.issuer, principal.subject, request.request_id};
}

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
    return fail({ErrorCode::kUnsupportedMediaType, "Content-Type must be application/json", {}});
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

http::Response jsonResponse(unsigned status, const boost::json::value& body) {
  return http::Response::json(status, boost::json::serialize(body));
}

Result<std::optional<std::string>> singleQueryParam(const http::Request& request, std::string_view name) {
  if (request.queryCount(name) > 1) {
    return fail(Error::badRequest("Query parameter '" + std::string(name) + "' was given more than once",
                                  {{"parameter", name}}));
  }
  auto v = request.queryParam(name);
  if (!v) return std::optional<std::string>{};
  if (text::containsNul(*v)) return fail(Error::badRequest("Query parameter contains NUL", {{"parameter", name}}));
  return std::optional<std::string>(std::string(*v));
}

Result<int> limitParam(const http::Request& request, int default_limit, int max_limit) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, "limit"));
  if (!raw) return default_limit;
  int value = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || ptr != raw->data() + raw->size() || value < 1 || value > max_limit) {
    return fail(
        domain::validationError("query.limit", "limit must be an integer between 1 and " + std::to_string(max_limit)));
  }
  return value;
}

Result<store::Direction> directionParam(const http::Request& request) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, "direction"));
  if (!raw || *raw == "next") return store::Direction::kNext;
  if (*raw == "prev") return store::Direction::kPrev;
  return fail(domain::validationError("query.direction", "direction must be 'next' or 'prev'"));
}

Result<std::string> cursorParam(const http::Request& request) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, "cursor"));
  return raw.value_or("");
}

Result<PageParams> pageParams(const http::Request& request, int default_limit, int max_limit) {
  PageParams p;
  FRAUDGOV_ASSIGN_OR_RETURN(p.limit, limitParam(request, default_limit, max_limit));
  FRAUDGOV_ASSIGN_OR_RETURN(p.direction, directionParam(request));
  FRAUDGOV_ASSIGN_OR_RETURN(p.cursor, cursorParam(request));
  return p;
}

std::optional<std::string> ObjectReader::requiredString(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    issue(std::string(key), "Field required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    issue(std::string(key), "Input should be a valid string");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::optional<std::string>> ObjectReader::optionalString(std::string_view key, bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_null()) {
    if (nullable) return std::optional<std::string>{};
    issue(std::string(key), "Input should be a valid string, not null");
    return std::nullopt;
  }
  if (!v->is_string()) {
    issue(std::string(key), "Input should be a valid string");
    return std::nullopt;
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

std::optional<bool> ObjectReader::optionalBool(std::string_view key) {
  const auto* v = object_.if_contains(key);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    issue(std::string(key), "Input should be a valid boolean");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::int64_t> ObjectReader::optionalInt(std::string_view key, std::int64_t min, std::int64_t max,
                                                      bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v || (nullable && v->is_null())) return std::nullopt;
  std::optional<std::int64_t> value;
  if (v->is_int64()) value = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    value = static_cast<std::int64_t>(v->as_uint64());
  }
  if (!value) {
    issue(std::string(key), "Input should be a valid integer");
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    issue(std::string(key),
          std::string(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<boost::json::object> ObjectReader::optionalObject(std::string_view key, bool nullable) {
  const auto* v = object_.if_contains(key);
  if (!v || (nullable && v->is_null())) return std::nullopt;
  if (!v->is_object()) {
    issue(std::string(key), "Input should be a valid object");
    return std::nullopt;
  }
  return v->as_object();
}

std::optional<std::vector<std::string>> ObjectReader::stringArray(std::string_view key, bool required) {
  const auto* v = object_.if_contains(key);
  if (!v) {
    if (required) issue(std::string(key), "Field required");
    return std::nullopt;
  }
  if (!v->is_array()) {
    issue(std::string(key), "Input should be a valid list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& array = v->as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string()) {
      issue(std::string(key) + "[" + std::to_string(i) + "]", "Input should be a valid string");
      return std::nullopt;
    }
    out.emplace_back(array[i].as_string());
  }
  return out;
}

}  // namespace fraudgov::app
