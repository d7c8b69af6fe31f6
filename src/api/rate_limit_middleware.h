#pragma once
// Rate limiting at the edge (SPEC §6.4). Runs inside the exception barrier, before routing, so a
// 429 still gets the request id, security headers and access log like any other answer.
//
// Which bucket a request is charged to:
//   * a verified token          -> the principal's (iss, sub) "read" bucket for GET/HEAD,
//                                  its "write" bucket for every other method;
//   * no Authorization header   -> the client address's "anonymous" bucket;
//   * a token that fails        -> the client address's "auth-failures" bucket (tight);
//   * identity provider down    -> (503 from verification) the "anonymous" bucket.
// Valid credentials are never refused because of someone else's failures (issue 11 item 11):
// the failures bucket is consulted only for tokens that fail. Once it is empty, a token from that
// address is refused with 429 BEFORE its signature is checked when it is sure to fail — its
// digest was refused before (remembered for a while), or the cheap checks reject it (shape,
// algorithm, a key id not among the cached keys, expiry, issuer, audience: Authenticator::
// precheck) — so guessing costs no cryptography. Only a token that passes every cheap check is
// verified; if it verifies, it passes and is charged to its principal like any other; if not, it
// gets 429 and its digest is remembered. Tokens that verified recently skip all of this.
// Health, readiness and metrics (on the main and the admin listener) are charged to their own
// "operational" bucket, per admin credential when one is presented and per client address
// otherwise: monitoring neither eats user budgets nor is starved by them, and anonymous scrapes
// are bounded too. Refused admin credentials also count as failed authentications; with the
// failures bucket empty a refused one gets 429 (a correct one is cheap to check and passes).
// Every other path, including unknown ones on either listener, is charged as above.
// IPv6 clients are keyed by their /64.
//
// Every charged response carries `RateLimit-Policy: "<name>";q=<quota>;w=<window>` and
// `RateLimit: "<name>";r=<remaining>;t=<seconds until the bucket is full>`
// (draft-ietf-httpapi-ratelimit-headers-11); a 429 is a problem response with Retry-After.

#include <memory>

#include "api/guard.h"
#include "api/object_reader.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_handler.h"
#include "http/pipeline.h"
#include "observability/telemetry.h"
#include "ratelimit/limiter.h"
#include "ratelimit/settings.h"

namespace fraudgov::api {

struct RateLimitPolicies {
  ratelimit::Policy read;
  ratelimit::Policy write;
  ratelimit::Policy anonymous;
  ratelimit::Policy auth_failures;
  ratelimit::Policy operational;

  static RateLimitPolicies from(const ratelimit::Settings& settings);
};

// Refusals are counted and logged in `telemetry`, whose clock also times the memory of verified
// credentials; it must outlive the middleware.
http::Middleware rateLimitMiddleware(std::shared_ptr<ratelimit::Limiter> limiter, const ratelimit::Settings& settings,
                                     Guard guard, observability::Telemetry& telemetry);

// The bucket key for a client address: IPv4 as is, IPv4-mapped IPv6 folded to IPv4, other IPv6
// reduced to its /64 (one subscriber's allocation), anything unparsable "unknown".
std::string addressBucketKey(std::string_view address);

}  // namespace fraudgov::api
