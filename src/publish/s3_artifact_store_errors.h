#pragma once
// S3 failures as errors an operator can act on. Every one is kUnavailable (the publish cannot
// complete now; SPEC §3 invariant 10), and none carries the URL, the key id's secret or S3's
// free-text message: only the operation, the HTTP status and S3's error Code.

#include <string>
#include <string_view>

#include "common/error.h"
#include "net/http_client.h"

namespace fraudgov::publish {

// The <Code> of an S3 XML error body, or empty when absent or not identifier-shaped.
std::string s3ErrorCode(std::string_view body);

// A transport failure (DNS, connect, TLS, timeout): the endpoint could not be reached.
Error s3Unreachable(std::string_view operation, const Error& transport);

// A non-success answer from S3 to operation ("PutObject", "GetObject") on bucket.
Error s3Refusal(const net::OutboundResponse& response, std::string_view operation, std::string_view bucket);

}  // namespace fraudgov::publish
