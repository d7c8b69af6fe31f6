#pragma once
// JSON request bodies, strictly: Content-Type must be application/json (415 otherwise), malformed
// JSON is 400, a missing or non-object body is 422.

#include <boost/json/object.hpp>

#include "common/error.h"
#include "http/message.h"

namespace fraudgov::api {

Result<boost::json::object> jsonObjectBody(const http::Request& request);
// As jsonObjectBody, but an empty body counts as {} (action endpoints whose body is optional).
Result<boost::json::object> optionalJsonObjectBody(const http::Request& request);

}  // namespace fraudgov::api
