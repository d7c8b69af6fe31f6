#include "http/request_id.h"

#include <gtest/gtest.h>

namespace fraudgov::http {
namespace {

Response runWith(Request& request) {
  Pipeline pipeline;
  pipeline.use(requestIdMiddleware());
  const Handler terminal = [](Request&) { return Response::noContent(); };
  return pipeline.run(request, terminal);
}

TEST(RequestId, IsAlwaysGeneratedAndTheClientsIsKeptApart) {
  Request r;
  r.headers.set("X-Request-ID", "abc-123");
  const Response response = runWith(r);
  EXPECT_EQ(r.request_id.size(), 36u);
  EXPECT_NE(r.request_id, "abc-123");
  EXPECT_EQ(response.headers.get("X-Request-ID"), r.request_id);
  EXPECT_EQ(r.client_request_id, "abc-123");
}

TEST(RequestId, TwoRequestsGetTwoIds) {
  Request a, b;
  runWith(a);
  runWith(b);
  EXPECT_NE(a.request_id, b.request_id);
  EXPECT_TRUE(a.client_request_id.empty());
}

TEST(RequestId, ClientValueIsBoundedAndVisibleAsciiOnly) {
  EXPECT_EQ(sanitizeClientRequestId("evil\r\ninjected: yes"), "evil??injected:?yes");
  EXPECT_EQ(sanitizeClientRequestId("caf\xc3\xa9\x7f\t"), "caf????");
  EXPECT_EQ(sanitizeClientRequestId(std::string(kMaxClientRequestIdLength, 'a')).size(), kMaxClientRequestIdLength);
  EXPECT_EQ(sanitizeClientRequestId(std::string(10000, 'b')), std::string(kMaxClientRequestIdLength, 'b'));
  EXPECT_EQ(sanitizeClientRequestId(""), "");
}

}  // namespace
}  // namespace fraudgov::http
