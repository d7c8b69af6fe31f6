#pragma once
// What a request head must satisfy before its body is read and the request is routed: message
// framing (RFC 9112 §6.1-§6.3), Host (RFC 9112 §3.2) and single-valued credentials. Beast parses
// the syntax; this decides what Beast would let through but a proxy in front of us might frame
// differently, which is how request smuggling and desynchronisation happen. Pure and
// transport-free, so the server and the fuzz target run the very same checks.

#include <optional>
#include <string_view>

#include "http/message.h"
#include "http/refusal.h"

namespace fraudgov::http {

struct RequestHead {
  unsigned version = 11;  // 10 for HTTP/1.0, 11 for HTTP/1.1 (as Beast reports it)
  const Headers& headers;
};

// nullopt when the head is acceptable. Otherwise the refusal to answer with; the server then
// closes the connection, because after a framing doubt the next byte cannot be trusted to start
// a request.
//  * Transfer-Encoding with Content-Length, in HTTP/1.0, empty, not a token list, chunked twice,
//    or chunked but not last: 400.
//  * A transfer coding other than chunked (gzip, xchunked, ...): 501, we implement none.
//  * Content-Length repeated or not 1*DIGIT: 400.
//  * HTTP/1.1 without Host, any request with more than one Host, or a Host that is not a
//    uri-host[:port]: 400.
//  * More than one Authorization: 400 (which one would a proxy have checked?).
std::optional<Refusal> checkRequestHead(const RequestHead& head);

// The header block (request line, fields and the empty line) is at most `limit` bytes.
constexpr bool headerWithinLimit(std::size_t header_bytes, std::size_t limit) { return header_bytes <= limit; }

}  // namespace fraudgov::http
