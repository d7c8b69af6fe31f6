#pragma once
// What every route handler needs: authentication and permission checks in the predecessor's
// precedence (401, then 403, then input validation), strict JSON bodies, query parameters, and
// turning a Result into a response.

#include <boost/json/object.hpp>
#include <functional>
#include <optional>

#include "auth/authenticator.h"
#include "domain/audit.h"
#include "domain/rule_field.h"
#include "domain/validation.h"
#include "http/router.h"
#include "store/keyset.h"

namespace fraudgov::app {

using RouteResult = Result<http::Response>;

// Adapts a handler that returns Result<Response>: errors become problem responses.
http::Handler route(std::function<RouteResult(http::Request&)> fn);

class Guard {
 public:
  explicit Guard(const auth::Authenticator& authenticator) : authenticator_(authenticator) {}
  // Verified once per request; later calls (rate limiter, then the route) reuse the verdict.
  Result<auth::Principal> authenticate(http::Request& request) const;
  Result<auth::Principal> require(http::Request& request, std::string_view permission) const;

 private:
  const auth::Authenticator& authenticator_;
};

domain::Actor actorFor(const auth::Principal& principal, const http::Request& request);

// As jsonObjectBody, but an empty body counts as {} (action endpoints whose body is optional).
Result<boost::json::object> optionalJsonObjectBody(const http::Request& request);

// The request body as a JSON object. Content-Type must be application/json (415 otherwise);
// malformed JSON is 400; a missing or non-object body is 422.
Result<boost::json::object> jsonObjectBody(const http::Request& request);

http::Response jsonResponse(unsigned status, const boost::json::value& body);

// Query parameters. Each may appear at most once (400 otherwise).
Result<std::optional<std::string>> singleQueryParam(const http::Request& request, std::string_view name);
Result<int> limitParam(const http::Request& request, int default_limit, int max_limit);
Result<store::Direction> directionParam(const http::Request& request);
Result<std::string> cursorParam(const http::Request& request);

// The keyset paging parameters every list takes: cursor, direction and limit.
struct PageParams {
  std::string cursor;
  store::Direction direction = store::Direction::kNext;
  int limit = 50;
};
Result<PageParams> pageParams(const http::Request& request, int default_limit, int max_limit);

// Reads members of a JSON object, recording an issue per problem instead of stopping at the first.
class ObjectReader {
 public:
  explicit ObjectReader(const boost::json::object& object) : object_(object) {}

  bool has(std::string_view key) const { return object_.contains(key); }
  std::optional<std::string> requiredString(std::string_view key);
  // absent -> nullopt; null -> optional(nullopt) when nullable, an issue otherwise.
  std::optional<std::optional<std::string>> optionalString(std::string_view key, bool nullable);
  std::optional<bool> optionalBool(std::string_view key);
  // absent -> nullopt; null -> nullopt when nullable; an integer within [min, max] otherwise.
  std::optional<std::int64_t> optionalInt(std::string_view key, std::int64_t min, std::int64_t max, bool nullable);
  std::optional<boost::json::object> optionalObject(std::string_view key, bool nullable);
  std::optional<std::vector<std::string>> stringArray(std::string_view key, bool required);
  const boost::json::value* value(std::string_view key) const { return object_.if_contains(key); }
  void issue(std::string path, std::string message) { issues_.push_back({std::move(path), std::move(message)}); }
  const std::vector<domain::FieldIssue>& issues() const { return issues_; }
  // Every recorded issue as one 422, or nothing when the object was valid.
  std::optional<Error> problem() const {
    if (issues_.empty()) return std::nullopt;
    return domain::validationError(issues_);
  }

 private:
  const boost::json::object& object_;
  std::vector<domain::FieldIssue> issues_;
};

}  // namespace fraudgov::app
