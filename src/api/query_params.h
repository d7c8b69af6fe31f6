#pragma once
// Query parameters. Each may appear at most once (400 otherwise); values are validated here so
// a handler only sees typed, bounded input.

#include <optional>
#include <string>

#include "common/error.h"
#include "http/message.h"
#include "service/paging.h"

namespace fraudgov::api {

Result<std::optional<std::string>> singleQueryParam(const http::Request& request, std::string_view name);
Result<int> limitParam(const http::Request& request, int default_limit, int max_limit);
Result<service::Direction> directionParam(const http::Request& request);
Result<std::string> cursorParam(const http::Request& request);

// The keyset paging parameters every list takes: cursor, direction and limit.
Result<service::PageQuery> pageParams(const http::Request& request, int default_limit, int max_limit);

}  // namespace fraudgov::api
