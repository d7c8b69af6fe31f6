#include "api/query_params.h"

#include <charconv>

#include "common/text.h"
#include "domain/validation.h"

namespace fraudgov::api {

Result<std::optional<std::string>> singleQueryParam(const http::Request& request, std::string_view name) {
  if (request.queryCount(name) > 1) {
    return fail(Error::malformed("Query parameter '" + std::string(name) + "' was given more than once",
                                  {{"parameter", name}}));
  }
  auto v = request.queryParam(name);
  if (!v) return std::optional<std::string>{};
  if (text::containsNul(*v)) return fail(Error::malformed("Query parameter contains NUL", {{"parameter", name}}));
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

Result<service::Direction> directionParam(const http::Request& request) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, "direction"));
  if (!raw || *raw == "next") return service::Direction::kNext;
  if (*raw == "prev") return service::Direction::kPrev;
  return fail(domain::validationError("query.direction", "direction must be 'next' or 'prev'"));
}

Result<std::string> cursorParam(const http::Request& request) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto raw, singleQueryParam(request, "cursor"));
  return raw.value_or("");
}

Result<service::PageQuery> pageParams(const http::Request& request, int default_limit, int max_limit) {
  service::PageQuery p;
  FRAUDGOV_ASSIGN_OR_RETURN(p.limit, limitParam(request, default_limit, max_limit));
  FRAUDGOV_ASSIGN_OR_RETURN(p.direction, directionParam(request));
  FRAUDGOV_ASSIGN_OR_RETURN(p.cursor, cursorParam(request));
  return p;
}

}  // namespace fraudgov::api
