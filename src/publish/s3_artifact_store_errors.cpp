#include "publish/s3_artifact_store_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace fraudgov::publish {

namespace {

bool isCodeChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool isCredentialCode(std::string_view code) {
  static constexpr std::array<std::string_view, 5> kCodes = {"SignatureDoesNotMatch", "InvalidAccessKeyId",
                                                             "ExpiredToken", "InvalidToken", "TokenRefreshRequired"};
  return std::find(kCodes.begin(), kCodes.end(), code) != kCodes.end();
}

}  // namespace

std::string s3ErrorCode(std::string_view body) {
  const auto open = body.find("<Code>");
  if (open == std::string_view::npos) return {};
  const auto start = open + 6;
  const auto close = body.find("</Code>", start);
  if (close == std::string_view::npos) return {};
  const std::string_view code = body.substr(start, close - start);
  // Codes are identifiers; anything else could be attacker-shaped text and is not echoed.
  const bool clean = !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), isCodeChar);
  return clean ? std::string(code) : std::string();
}

Error s3Unreachable(std::string_view operation, const Error& transport) {
  return Error::unavailable(fmt::format("S3 endpoint unreachable during {} ({})", operation, transport.message));
}

Error s3Refusal(const net::OutboundResponse& response, std::string_view operation, std::string_view bucket) {
  const std::string code = s3ErrorCode(response.body);
  const std::string what =
      fmt::format("{} answered {}HTTP {}", operation, code.empty() ? "" : code + ", ", response.status);
  if (isCredentialCode(code)) {
    return Error::unavailable(
        fmt::format("S3 rejected the credentials ({}); check the S3 access key id and secret", what));
  }
  if (code == "NoSuchBucket")
    return Error::unavailable(fmt::format("S3 bucket '{}' does not exist ({})", bucket, what));
  if (code == "AccessDenied") {
    return Error::unavailable(
        fmt::format("S3 denied access to bucket '{}' ({}); check the key's policy", bucket, what));
  }
  return Error::unavailable(fmt::format("S3 request failed ({})", what));
}

}  // namespace fraudgov::publish
