#pragma once

#include "http/pipeline.h"

namespace fraudgov::api {

// One JSON log line per request: request id, method, route template, status, duration,
// principal. Never headers, bodies or query strings (they can carry tokens and personal data).
http::Middleware accessLogMiddleware();
// Turns an exception escaping a handler into a 500 problem (logged with the request id).
http::Middleware exceptionBarrierMiddleware();

}  // namespace fraudgov::api
