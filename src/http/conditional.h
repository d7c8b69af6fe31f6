#pragma once
// Conditional requests (RFC 9110 §13): entity tags and If-None-Match, for clients that poll a
// resource and want to pay nothing when it has not changed.

#include <string_view>

#include "http/message.h"

namespace fraudgov::http {

// Whether If-None-Match (every such header line of `request`, each a comma-separated list of
// entity tags, or "*") matches `etag` (a quoted strong tag) under the weak comparison §13.1.2
// prescribes: W/"x" matches "x". No header: false. An unparsable list matches nothing from the
// point where it stops making sense (the request is then answered in full, never wrongly 304).
bool ifNoneMatchMatches(const Request& request, std::string_view etag);
bool ifNoneMatchMatches(std::string_view header_value, std::string_view etag);

// 304 Not Modified for `etag`: no content, the tag, nothing else (the pipeline adds the rest).
Response notModified(std::string_view etag);

}  // namespace fraudgov::http
