// The authentication verdict is computed once per request and shared: the rate limiter needs it
// before routing, the route's Guard reuses it, so a token is never verified twice.
#include <gtest/gtest.h>

#include "api/guard.h"
#include "api/object_reader.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_handler.h"
#include "api/request_state.h"
#include "net/http_client.h"
#include "support/token_factory.h"

namespace fraudgov::api {
namespace {

TEST(RequestState, GuardVerifiesOncePerRequestAndSharesTheVerdict) {
  auth::AuthSettings settings;
  settings.issuer = "https://idp.example/";
  settings.jwks_url = "http://127.0.0.1:1/jwks";
  settings.audiences = {"api"};
  // Never started: it has no keys, so a presented token would be a 503, a missing one a 401.
  auto keys = std::make_shared<auth::JwksCache>(settings, std::make_shared<net::CurlHttpClient>());
  auth::Authenticator authenticator(settings, keys);
  Guard guard(authenticator);

  const std::string bearer =
      "Bearer " + testing::TokenFactory::get().rs256(testing::TokenFactory::claims(settings.issuer, "api", "someone"));
  http::Request request;
  auto first = guard.authenticate(request);
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().code, ErrorCode::kUnauthenticated);
  ASSERT_TRUE(requestState(request).authentication.has_value()) << "the verdict is kept on the request";

  request.headers.set("Authorization", bearer);
  auto second = guard.authenticate(request);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kUnauthenticated) << "reused, not verified again (that would be 503)";

  http::Request fresh;
  fresh.headers.set("Authorization", bearer);
  auto other = guard.authenticate(fresh);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kUnavailable) << "another request is verified on its own";
}

TEST(RequestState, IsCreatedOnFirstUseAndKeptInTheRequest) {
  http::Request request;
  EXPECT_FALSE(request.app_state.has_value());
  requestState(request).authentication = fail(Error::permissionDenied());
  EXPECT_TRUE(request.app_state.has_value());
  EXPECT_EQ(requestState(request).authentication->error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace fraudgov::api
