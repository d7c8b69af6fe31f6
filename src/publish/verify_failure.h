#pragma once
// Why a signed manifest was refused. Every refusal carries exactly one of these stable codes in
// Error::details["reason"], so the CLI, the runtime and alerts can tell the cases apart without
// parsing messages.

#include <string>
#include <string_view>

#include "common/error.h"

namespace fraudgov::publish {

namespace reason {
inline constexpr std::string_view kMalformedManifest = "malformed_manifest";
inline constexpr std::string_view kUnknownKey = "unknown_key";
inline constexpr std::string_view kBadSignature = "bad_signature";
inline constexpr std::string_view kChecksumMismatch = "checksum_mismatch";
inline constexpr std::string_view kEnvironmentMismatch = "environment_mismatch";
inline constexpr std::string_view kStaleSequence = "stale_sequence";
inline constexpr std::string_view kUnsupportedSchema = "unsupported_schema";
}  // namespace reason

// Untrusted text quoted back in an error (a kid, a schema name), cut short so a hostile document
// cannot inflate logs.
inline std::string clip(std::string_view text, std::size_t max = 64) {
  return std::string(text.substr(0, max)) + (text.size() > max ? "..." : "");
}

// A validation error whose details hold {"reason": code} plus `details`.
inline Error verifyFailure(std::string_view code, std::string message, boost::json::object details = {}) {
  details["reason"] = code;
  return Error::validation(std::move(message), std::move(details));
}

// The reason code of an error made by verifyFailure, or "" for any other error.
inline std::string_view failureReason(const Error& e) {
  const auto* r = e.details.if_contains("reason");
  return r != nullptr && r->is_string() ? std::string_view(r->get_string()) : std::string_view();
}

}  // namespace fraudgov::publish
