#pragma once
// A throwaway redis-server (the Debian package) for tests: its own loopback port, no
// persistence, a temporary working directory, killed when the object goes away.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "support/child_process.h"

namespace fraudgov::testing {

class RedisServer {
 public:
  struct Options {
    unsigned short port = 0;              // 0: a free one
    std::optional<std::string> password;  // --requirepass
  };
  RedisServer() : RedisServer(Options{}) {}
  // Starts the server and waits until it answers PING; a test failure if it does not.
  explicit RedisServer(Options options);
  ~RedisServer();

  unsigned short port() const { return port_; }
  std::string url() const;  // redis://127.0.0.1:<port>/0
  bool ready() const { return ready_; }
  // SIGKILL (no goodbye to clients) and reap.
  void kill();
  bool running();

 private:
  unsigned short port_ = 0;
  bool ready_ = false;
  std::unique_ptr<ChildProcess> process_;
};

// Whether something at 127.0.0.1:port answers a RESP PING (optionally after AUTH).
bool redisPing(unsigned short port, const std::optional<std::string>& password = std::nullopt);

}  // namespace fraudgov::testing
