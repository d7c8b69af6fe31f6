#pragma once
// Rate limiting at the edge (SPEC §6.4). Runs inside the exception barrier, before routing, so a
// 429 still gets the request id, security headers and access log like any other answer.
//
// Which bucket a request is charged to:
//   * a verified token          -> the principal's (iss, sub) "read" bucket for GET/HEAD,
//                                  its "write" bucket for every other method;
//   * no Authorization header   -> the client address's "anonymous" bucket;
//   * a token that fails        -> the client address's "auth-failures" bucket (tight). Once it
//                                  is empty, requests from that address carrying a credential
//                                  this process has not seen verify successfully get 429 BEFORE
//                                  any verification, so guessing cannot go faster than the
//                                  bucket refills. Credentials that verified recently keep
//                                  working: their holders do not suffer for a neighbour's
//                                  guessing;
//   * identity provider down    -> (503 from verification) the "anonymous" bucket.
// Health, readiness and metrics are not charged: monitoring must not eat user budgets nor be
// starved by them, and those routes have their own gate (admin_access.h). Refused credentials
// presented there do count as failed authentications, with the same 429 once exhausted.
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
