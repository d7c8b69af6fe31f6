#pragma once
// CORS from an exact allow-list (SPEC §6.6; the hardening guide's "CORS configured correctly").
//
// Origins are compared as scheme://host[:port] (RFC 6454 serialization: lower case, default port
// omitted). No wildcards, no "null" (sandboxed documents and file: URLs all share it).
//
// * A request whose Origin is listed gets `Access-Control-Allow-Origin: <origin>` and the
//   response headers a page may read (request id, rate-limit state). Any other Origin gets no
//   Access-Control-* header at all; the request is otherwise served as usual, because the browser
//   is what withholds the answer from the page, and a cross-site write cannot succeed anyway
//   (bearer tokens only, JSON bodies only).
// * A preflight (OPTIONS with Origin and Access-Control-Request-Method, no body) is answered
//   here, before authentication and rate limiting (it carries no credentials, and a page's own
//   preflights must not eat its user's budget): 204 with the allowed methods, the allowed request
//   headers and Max-Age when origin, method and every requested header are allowed; otherwise a
//   403 problem without any Access-Control-* header.
// * `Access-Control-Allow-Credentials` is never sent. Clients authenticate with a bearer token in
//   Authorization, which a page sends without credentialed mode; cookies are ignored (SPEC §6.6),
//   so credentialed mode would only let a browser attach cookies nobody reads. A page that asks
//   for it (`credentials: "include"`) fails its CORS check, loudly, instead.
// * `Vary: Origin` goes on every response while the list is not empty (whether the allow header is
//   there depends on the Origin), refusals included; preflight answers also vary on the requested
//   method and headers.
//
// Requests without an Origin (servers, scripts, the runtime engine) only gain the Vary header.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "http/pipeline.h"

namespace fraudgov::http {

inline constexpr std::string_view kCorsAllowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE";
inline constexpr std::string_view kCorsAllowedHeaders = "Authorization, Content-Type, Idempotency-Key, X-Request-ID";
inline constexpr std::string_view kCorsExposedHeaders = "X-Request-ID, Retry-After, RateLimit, RateLimit-Policy";
inline constexpr int kCorsMaxAgeSeconds = 600;

// "HTTPS://Portal.Example.com:443/" -> "https://portal.example.com". Refuses wildcards, "null",
// other schemes, user info, paths, queries and fragments (an origin has none of them).
Result<std::string> normalizeOrigin(std::string_view text);

// A comma-separated list of origins; one problem per bad entry, prefixed with `setting`.
std::vector<std::string> parseOriginList(std::string_view list, std::string_view setting,
                                         std::vector<std::string>& problems);

// allowed_origins: normalized (parseOriginList). An empty list turns CORS off: no header is added.
Middleware corsMiddleware(std::vector<std::string> allowed_origins);

}  // namespace fraudgov::http
