// Issue 11 item 7: request framing and head validation, from outside over raw sockets. A
// Transfer-Encoding we do not implement used to be ignored, so its body was parsed as the next
// request on the connection (desync); Host and Authorization could be missing or doubled; the
// header limit was Beast's approximation; and `Expect: 100-continue` invited any client's body
// before its credentials were looked at.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/api_harness.h"
#include "support/loopback.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

// Everything the server sends on one connection for `bytes` until it closes (or 5 s of silence).
std::string converse(unsigned short port, const std::string& bytes) {
  const int fd = testing::connectLoopback(port, 5);
  if (fd < 0) {
    ADD_FAILURE() << "cannot connect";
    return {};
  }
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
  std::string raw;
  char buf[8192];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return raw;
}

std::size_t responseCount(const std::string& raw) {
  std::size_t count = 0;
  for (auto at = raw.find("HTTP/1.1 "); at != std::string::npos; at = raw.find("HTTP/1.1 ", at + 1)) ++count;
  return count;
}

std::string statusLineOf(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }

// An authenticated POST whose framing header is `framing`, followed by what would be a second
// request if the server ignored it: a GET of an unknown path (404) smuggled inside the body.
// Before issue 11 the server answered 422 (empty body) and then 404 for the smuggled request.
std::string smuggling(const std::string& token, const std::string& framing) {
  const std::string smuggled = "GET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  return "POST /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n" + smuggled;
}

}  // namespace

class RequestFraming : public ::testing::Test {
 protected:
  ApiHarness api;
  std::string token = api.makerToken();
};

TEST_F(RequestFraming, UnimplementedTransferCodingIs501AndNothingIsSmuggled) {
  for (const std::string te : {"xchunked", "gzip", "gzip, chunked", "identity"}) {
    const std::string raw = converse(api.port(), smuggling(token, "Transfer-Encoding: " + te));
    EXPECT_EQ(statusLineOf(raw), "HTTP/1.1 501 Not Implemented") << te;
    EXPECT_EQ(responseCount(raw), 1u) << te << "\n" << raw;
    EXPECT_EQ(raw.find("smuggled"), std::string::npos) << te;
    EXPECT_NE(raw.find("application/problem+json"), std::string::npos) << te;
  }
}

TEST_F(RequestFraming, ChunkedNotLastOrWithContentLengthIs400AndCloses) {
  for (const std::string framing :
       {"Transfer-Encoding: chunked, identity", "Transfer-Encoding: chunked, gzip",
        "Transfer-Encoding: chunked, chunked", "Transfer-Encoding: chunked\r\nContent-Length: 44",
        "Content-Length: 44\r\nTransfer-Encoding: chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity",
        "Transfer-Encoding: chunked;x=1", "Transfer-Encoding: ,"}) {
    const std::string raw = converse(api.port(), smuggling(token, framing));
    EXPECT_EQ(statusLineOf(raw), "HTTP/1.1 400 Bad Request") << framing;
    EXPECT_EQ(responseCount(raw), 1u) << framing << "\n" << raw;
  }
}

TEST_F(RequestFraming, RealChunkedBodiesStillWork) {
  const std::string body =
      R"({"field_key":"chunked_probe","display_name":"Chunked","data_type":"STRING","allowed_operators":["EQ"]})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string raw = converse(
      api.port(), "POST /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                      size + "\r\n" + body + "\r\n0\r\n\r\n");
  EXPECT_EQ(statusLineOf(raw), "HTTP/1.1 201 Created") << raw;
}

TEST_F(RequestFraming, HostMustBePresentOnceAndWellFormed) {
  const auto status = [&](const std::string& headers) {
    return statusLineOf(converse(api.port(), "GET /api/v1/nowhere HTTP/1.1\r\n" + headers + "\r\n"));
  };
  EXPECT_EQ(status("Host: x\r\n"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(status("Host: fraudgov.example.com:8443\r\n"), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(status(""), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status("Host: x\r\nHost: y\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status("Host: x\r\nhost: x\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(status("Host: a/b@c\r\n"), "HTTP/1.1 400 Bad Request");
  // HTTP/1.0 may omit it.
  EXPECT_EQ(statusLineOf(converse(api.port(), "GET /api/v1/nowhere HTTP/1.0\r\n\r\n")).substr(9, 3), "404");
}

TEST_F(RequestFraming, TwoAuthorizationHeadersAre400) {
  const std::string raw = converse(api.port(), "GET /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                   token + "\r\nAuthorization: Bearer " + token + "\r\n\r\n");
  EXPECT_EQ(statusLineOf(raw), "HTTP/1.1 400 Bad Request") << raw;
  const std::string one = converse(api.port(), "GET /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                   token + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(statusLineOf(one), "HTTP/1.1 200 OK");
}

TEST_F(RequestFraming, HeaderLimitIsExact) {
  constexpr std::size_t kLimit = 16 * 1024;  // ServerOptions::header_limit
  const auto headOfSize = [](std::size_t total) {
    const std::string start = "GET /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ";
    const std::string end = "\r\n\r\n";
    return start + std::string(total - start.size() - end.size(), 'p') + end;
  };
  ASSERT_EQ(headOfSize(kLimit).size(), kLimit);
  EXPECT_EQ(statusLineOf(converse(api.port(), headOfSize(kLimit))), "HTTP/1.1 404 Not Found");
  EXPECT_EQ(statusLineOf(converse(api.port(), headOfSize(kLimit + 1))), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(statusLineOf(converse(api.port(), headOfSize(kLimit + 600))),
            "HTTP/1.1 431 Request Header Fields Too Large");
}

// The head alone, then whatever the server says within two seconds (without sending the body).
std::string afterHead(unsigned short port, const std::string& head, int fd_out[1]) {
  const int fd = testing::connectLoopback(port, 2);
  fd_out[0] = fd;
  (void)::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[8192];
  const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  if (n > 0) raw.assign(buf, static_cast<std::size_t>(n));
  return raw;
}

TEST_F(RequestFraming, ContinueIsSentOnlyToAuthenticatedRequests) {
  const std::string body = R"({"field_key":"expect_probe","display_name":"E","data_type":"STRING",)"
                           R"("allowed_operators":["EQ"]})";
  const auto head = [&](const std::string& authorization) {
    return "POST /api/v1/rule-fields HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + authorization +
           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  };
  for (const std::string& bad : {std::string(), std::string("Authorization: Bearer not.a.jwt\r\n"),
                                 "Authorization: Bearer " + token + "x\r\n"}) {
    int fd[1];
    const std::string raw = afterHead(api.port(), head(bad), fd);
    ::close(fd[0]);
    EXPECT_EQ(statusLineOf(raw), "HTTP/1.1 401 Unauthorized") << bad;
    EXPECT_EQ(raw.find("100 Continue"), std::string::npos) << bad;
  }
  int fd[1];
  const std::string interim = afterHead(api.port(), head("Authorization: Bearer " + token + "\r\n"), fd);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  (void)::send(fd[0], body.data(), body.size(), MSG_NOSIGNAL);
  std::string rest;
  char buf[8192];
  const ssize_t n = ::recv(fd[0], buf, sizeof buf, 0);
  if (n > 0) rest.assign(buf, static_cast<std::size_t>(n));
  ::close(fd[0]);
  EXPECT_EQ(statusLineOf(rest), "HTTP/1.1 201 Created") << rest;
}

}  // namespace fraudgov
