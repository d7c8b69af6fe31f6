#include "http/response_head.h"

#include <gtest/gtest.h>

namespace fraudgov::http {
namespace {

Response withBody(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

TEST(ResponseHead, StatusLineFieldsInOrderAndContentLength) {
  Response r = withBody(200, R"({"a":1})");
  r.headers.set("ETag", "\"abc\"");
  EXPECT_EQ(*renderResponseHead(r, {}),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"abc\"\r\nContent-Length: 7\r\n\r\n");
  EXPECT_TRUE(sendsBody(r, {}));
}

TEST(ResponseHead, ConnectionCloseOnlyWhenTheConnectionEnds) {
  const Response r = withBody(404, "{}");
  EXPECT_EQ(renderResponseHead(r, {true, false})->find("Connection"), std::string::npos);
  EXPECT_NE(renderResponseHead(r, {false, false})->find("\r\nConnection: close\r\n"), std::string::npos);
}

TEST(ResponseHead, NoContentLengthOrBodyOn204And304) {
  for (unsigned status : {204u, 304u}) {
    Response r;
    r.status = status;
    r.headers.set("ETag", "\"e\"");
    const std::string head = *renderResponseHead(r, {});
    EXPECT_EQ(head.find("Content-Length"), std::string::npos) << status;
    EXPECT_FALSE(sendsBody(r, {})) << status;
  }
  EXPECT_EQ(renderResponseHead(Response::noContent(), {})->rfind("HTTP/1.1 204 No Content\r\n", 0), 0u);
}

TEST(ResponseHead, HeadRequestDeclaresTheLengthButSendsNoBody) {
  const Response r = withBody(200, "12345");
  const ResponseFraming head_request{true, true};
  EXPECT_NE(renderResponseHead(r, head_request)->find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_FALSE(sendsBody(r, head_request));
}

TEST(ResponseHead, FramingFieldsFromHandlersAreIgnored) {
  Response r = withBody(200, "abc");
  r.headers.add("Content-Length", "999");
  r.headers.add("Transfer-Encoding", "chunked");
  r.headers.add("connection", "keep-alive");
  const std::string head = *renderResponseHead(r, {false, false});
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("chunked"), std::string::npos);
  EXPECT_EQ(head.find("keep-alive"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 3\r\n"), std::string::npos);
}

// A value that could split the head (response splitting) is refused, never written.
TEST(ResponseHead, FieldsThatWouldSplitTheHeadAreRefused) {
  for (const std::string& value : {std::string("a\r\nSet-Cookie: x=1"), std::string("a\nb"), std::string("a\rb"),
                                  std::string("a\0b", 3)}) {
    Response r = withBody(200, "{}");
    r.headers.set("X-Test", value);
    EXPECT_FALSE(renderResponseHead(r, {}).has_value());
  }
  for (const std::string& name : {std::string("Bad Name"), std::string("Bad:Name"), std::string(""), std::string("X\r\nY")}) {
    Response r = withBody(200, "{}");
    r.headers.add(name, "v");
    EXPECT_FALSE(renderResponseHead(r, {}).has_value()) << name;
  }
}

TEST(ResponseHead, UnknownStatusHasAnEmptyReasonPhrase) {
  EXPECT_EQ(renderResponseHead(withBody(299, ""), {})->rfind("HTTP/1.1 299 \r\n", 0), 0u);
}

}  // namespace
}  // namespace fraudgov::http
