#pragma once
// Outbound HTTP for talking to dependencies (identity provider JWKS, S3, Secrets Manager).
// Calls block the calling thread; callers run them on their own background threads, never on
// request-serving threads.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"

namespace fraudgov::net {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct OutboundRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  std::chrono::milliseconds timeout{5000};  // whole exchange; connecting gets min(timeout, 3 s)
  std::size_t max_response_bytes = 4 * 1024 * 1024;
  std::optional<std::string> aws_sigv4;  // e.g. "aws:amz:us-east-1:s3"
  std::string user_pwd;                  // "access:secret" when aws_sigv4 is set
  std::string ca_file;                   // PEM CA bundle trusted instead of the system store (private CAs)
};

struct OutboundResponse {
  long status = 0;
  std::string body;
  HeaderList headers;  // names as received; repeated headers stay repeated

  // First header with this name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any transport failure (DNS, connect, TLS, timeout, oversized response) is kUnavailable.
  // An HTTP error status is not a failure here: callers judge the status themselves.
  virtual Result<OutboundResponse> send(const OutboundRequest& request) = 0;
};

// libcurl easy interface, one handle per call, so one instance may be shared by threads.
// Redirects are not followed and only http/https are spoken. Error messages never contain the
// URL or credentials.
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  Result<OutboundResponse> send(const OutboundRequest& request) override;
};

}  // namespace fraudgov::net
