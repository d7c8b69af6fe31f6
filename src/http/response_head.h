#pragma once
// The bytes of an HTTP/1.1 response head (status line, fields, framing), rendered in one buffer
// so that head and body leave in a single gather write. Framing is ours alone: Content-Length
// from the body, none on 204/304 (RFC 9110 §8.6), `Connection: close` when the connection ends.

#include <optional>
#include <string>

#include "http/message.h"

namespace fraudgov::http {

struct ResponseFraming {
  bool keep_alive = true;
  // HEAD: the Content-Length of the body a GET would have sent, and no body.
  bool head_request = false;
};

// Whether the response carries a body on the wire (not for HEAD, 204 or 304).
bool sendsBody(const Response& response, const ResponseFraming& framing);

// A name that is a token and a value without CR, LF or NUL: a field that cannot split the head.
bool isWritableField(std::string_view name, std::string_view value);

// nullopt when a field cannot be written as is (a name that is not a token, a value with CR, LF
// or NUL): a bug upstream, answered as a 500 rather than letting a value split the head.
std::optional<std::string> renderResponseHead(const Response& response, const ResponseFraming& framing);

}  // namespace fraudgov::http
