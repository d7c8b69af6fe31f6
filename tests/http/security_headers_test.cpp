// SPEC §6.1: the middleware puts the full header set on every response, including ones a handler
// built itself with conflicting values. problem_test.cpp covers HSTS values and X-Request-ID
// sanity; this covers the middleware and the rest of the set.
#include "http/security_headers.h"

#include <gtest/gtest.h>

#include "http/request_id.h"

namespace fraudgov::http {

namespace {

Response through(const Handler& handler, Request request = {}) {
  Pipeline pipeline;
  pipeline.use(requestIdMiddleware());
  pipeline.use(securityHeadersMiddleware({}));
  return pipeline.run(request, handler);
}

}  // namespace

TEST(SecurityHeadersMiddleware, EveryResponseCarriesTheFullSet) {
  for (unsigned status : {200u, 204u, 404u, 500u}) {
    const Response r = through([status](Request&) { return Response::json(status, "{}"); });
    EXPECT_EQ(r.headers.get("Strict-Transport-Security"), "max-age=63072000; includeSubDomains") << status;
    EXPECT_EQ(r.headers.get("X-Frame-Options"), "DENY");
    EXPECT_EQ(r.headers.get("Content-Security-Policy"), kApiContentSecurityPolicy);
    EXPECT_EQ(r.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.headers.get("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.headers.get("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_EQ(r.headers.get("Cross-Origin-Resource-Policy"), "same-origin");
    EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
    EXPECT_EQ(r.headers.get("X-Permitted-Cross-Domain-Policies"), "none");
    EXPECT_NE(r.headers.get("Permissions-Policy").value_or("").find("camera=()"), std::string::npos);
  }
}

TEST(SecurityHeadersMiddleware, OverridesWeakerHandlerValuesButKeepsAPageCsp) {
  const Response r = through([](Request&) {
    Response out;
    out.headers.set("X-Frame-Options", "SAMEORIGIN");
    out.headers.set("Cache-Control", "public, max-age=3600");
    out.headers.set("X-Powered-By", "Express");
    out.headers.set("Content-Security-Policy", "default-src 'self'; script-src 'nonce-abc'");
    return out;
  });
  EXPECT_EQ(r.headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
  EXPECT_FALSE(r.headers.has("X-Powered-By"));
  EXPECT_EQ(r.headers.get("Content-Security-Policy"), "default-src 'self'; script-src 'nonce-abc'");
}

// Issue 11 item 12: the id is always ours (audit rows correlate on it); the client's value is
// kept apart, bounded and sanitised, for the access log only.
TEST(RequestIdMiddleware, TheIdIsAlwaysOursAndTheClientsIsKeptApart) {
  Request sane;
  sane.headers.set("X-Request-ID", "trace.1:2_3-4");
  const Response ours = through([](Request& r) { return Response::json(200, r.request_id + "|" + r.client_request_id); },
                                sane);
  const std::string id(ours.headers.get("X-Request-ID").value_or(""));
  EXPECT_EQ(id.size(), 36u);
  EXPECT_NE(id, "trace.1:2_3-4");
  EXPECT_EQ(ours.body, id + "|trace.1:2_3-4") << "handlers see our id; the client's is kept apart";
  for (std::string bad : {std::string(300, 'a'), std::string("a\x01b")}) {
    Request r;
    r.headers.set("X-Request-ID", bad);
    const Response replaced = through([](Request& req) { return Response::json(200, req.client_request_id); }, r);
    EXPECT_LE(replaced.body.size(), 128u);
    EXPECT_EQ(replaced.body.find('\x01'), std::string::npos);
  }
}

TEST(RequestIdMiddleware, GeneratedIdsDiffer) {
  const Response a = through([](Request&) { return Response::noContent(); });
  const Response b = through([](Request&) { return Response::noContent(); });
  ASSERT_TRUE(a.headers.has("X-Request-ID"));
  EXPECT_NE(a.headers.get("X-Request-ID"), b.headers.get("X-Request-ID"));
}

}  // namespace fraudgov::http
