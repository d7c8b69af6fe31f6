#pragma once
// A scriptable identity provider JWKS endpoint on a real socket, counting fetches.

#include <chrono>
#include <mutex>
#include <string>

#include "support/mini_http_server.h"

namespace fraudgov::auth::test {

class FakeIdp {
 public:
  FakeIdp() : server_([this](const testing::MiniRequest&) { return respond(); }) {}

  void serve(std::string jwks, std::chrono::milliseconds delay = {}) {
    std::lock_guard lock(mu_);
    response_ = testing::MiniResponse::json(std::move(jwks));
    response_.delay = delay;
  }
  void failWith(int status) {
    std::lock_guard lock(mu_);
    response_ = testing::MiniResponse::json(R"({"error":"down"})", status);
  }
  void hang(std::chrono::milliseconds how_long) {
    std::lock_guard lock(mu_);
    response_ = testing::MiniResponse::hang(how_long);
  }

  std::string jwksUrl() const { return server_.url("/.well-known/jwks.json"); }
  std::size_t fetches() const { return server_.requestCount(); }
  bool waitForFetches(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) const {
    return server_.waitForRequests(n, timeout);
  }
  void stop() { server_.stop(); }

 private:
  testing::MiniResponse respond() {
    std::lock_guard lock(mu_);
    return response_;
  }

  std::mutex mu_;
  testing::MiniResponse response_ = testing::MiniResponse::json("{}", 503);
  testing::MiniHttpServer server_;  // last: it calls respond() as soon as it exists
};

}  // namespace fraudgov::auth::test
