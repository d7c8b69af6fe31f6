#pragma once

#include "http/pipeline.h"
#include "observability/logger.h"

namespace fraudgov::api {

// One JSON log line per request: request id, method, route template, status, duration,
// principal. Never headers, bodies or query strings (they can carry tokens and personal data).
http::Middleware accessLogMiddleware(const observability::Logger& log);
// Turns an exception escaping a handler into a 500 problem (logged with the request id).
http::Middleware exceptionBarrierMiddleware(const observability::Logger& log);

}  // namespace fraudgov::api
