#pragma once
// Refusals that exist only in HTTP itself: the transport or the router turns a request away
// before any handler sees it. Domain failures are Errors (common/error.h); these never leave
// src/http and the wiring that feeds requests to it.

#include <string>
#include <string_view>

namespace fraudgov::http {

enum class RefusalKind {
  kMalformed,           // 400: unparseable request line, headers or target
  kMethodNotAllowed,    // 405 (with Allow)
  kRequestTimeout,      // 408: the client was too slow to send its request
  kBodyTooLarge,        // 413
  kHeaderTooLarge,      // 431
  kNotImplemented,      // 501: a transfer coding we do not implement
};

struct Refusal {
  RefusalKind kind = RefusalKind::kMalformed;
  std::string message;
  std::string allow;  // kMethodNotAllowed: the methods the path does serve

  static Refusal malformed(std::string m) { return {RefusalKind::kMalformed, std::move(m), {}}; }
  static Refusal methodNotAllowed(std::string allow) {
    return {RefusalKind::kMethodNotAllowed, "Method Not Allowed", std::move(allow)};
  }
  static Refusal requestTimeout() { return {RefusalKind::kRequestTimeout, "Request was not received in time", {}}; }
  static Refusal bodyTooLarge() {
    return {RefusalKind::kBodyTooLarge, "Request body exceeds maximum allowed size", {}};
  }
  static Refusal headerTooLarge() {
    return {RefusalKind::kHeaderTooLarge, "Request header fields are too large", {}};
  }
  static Refusal notImplemented(std::string m) { return {RefusalKind::kNotImplemented, std::move(m), {}}; }
};

}  // namespace fraudgov::http
