#pragma once
// Query parameters. Each may appear at most once (400 otherwise); values are validated here so
// a handler only sees typed, bounded input.

#include <optional>
#include <string>

#include "common/error.h"
#include "domain/validation.h"
#include "http/message.h"
#include "service/paging.h"

namespace fraudgov::api {

Result<std::optional<std::string>> singleQueryParam(const http::Request& request, std::string_view name);

// A parameter that, when given, must name one value of a closed set (parse: e.g.
// domain::parseRuleType); any other value is a 422 at query.<name> saying `message`.
template <class E>
Result<std::optional<std::string>> namedQueryParam(const http::Request& request, std::string_view name,
                                                   std::optional<E> (*parse)(std::string_view), std::string message) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto value, singleQueryParam(request, name));
  if (value && !parse(*value)) return fail(domain::validationError("query." + std::string(name), std::move(message)));
  return value;
}
Result<int> limitParam(const http::Request& request, int default_limit, int max_limit);
Result<service::Direction> directionParam(const http::Request& request);
Result<std::string> cursorParam(const http::Request& request);

// The keyset paging parameters every list takes: cursor, direction and limit.
Result<service::PageQuery> pageParams(const http::Request& request, int default_limit, int max_limit);

}  // namespace fraudgov::api
