#pragma once
// X-Request-ID. The id that correlates a request across our logs, audit rows and the response
// is always one we generate: a client-chosen id would let a caller plant the same correlation id
// on many audit rows, or one that points at somebody else's request. What the client sent is
// kept apart, bounded and sanitised, for the access log only (client_request_id).

#include <string>
#include <string_view>

#include "http/pipeline.h"

namespace fraudgov::http {

inline constexpr std::size_t kMaxClientRequestIdLength = 128;

// A new id for this request (UUID, 36 characters).
std::string generateRequestId();
// The client's X-Request-ID reduced to at most kMaxClientRequestIdLength visible ASCII
// characters (anything else becomes '?'); empty when absent.
std::string sanitizeClientRequestId(std::string_view inbound);
// Sets request.request_id (ours) and request.client_request_id, and answers with our id.
Middleware requestIdMiddleware();

}  // namespace fraudgov::http
