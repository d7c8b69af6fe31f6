#pragma once
// HTTP/1.1 server on Boost.Beast with C++20 coroutines. I/O runs on a few threads; handlers
// run on a separate worker pool so a slow database call never stalls other connections.
// Operational requests (health, readiness, metrics: RequestHandler::operational) run on a small
// pool of their own, so they are answered even while every general worker waits on a stuck
// dependency (each such wait ends at its deadline, but requests can queue faster than that).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/error.h"
#include "http/pipeline.h"

namespace fraudgov::http {

struct ServerOptions {
  // Event loops, one per thread, each owning the connections it accepted (round robin); cached
  // reads, 401, 429 and 304 are answered on them, anything that may wait on the worker pool.
  unsigned io_threads = 2;
  unsigned worker_threads = 8;
  unsigned operational_threads = 2;  // health/readyz/metrics only
  std::size_t body_limit = 1024 * 1024;              // 1 MiB; larger bodies get 413
  std::size_t header_limit = 16 * 1024;              // larger header blocks get 431
  std::chrono::milliseconds header_timeout{10'000};  // to receive a request's headers once it started
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};  // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds drain_timeout{15'000};  // graceful shutdown budget
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds immediately (so a busy port fails at startup); returns the bound port (useful with 0).
  Result<unsigned short> listen(const std::string& host, unsigned short port, RequestHandler& handler);
  // Starts the I/O threads in the background and returns.
  void start();
  // Blocks until the server has stopped (stop() or SIGINT/SIGTERM once handleSignals() was
  // called) and drained.
  void wait();
  // Stops accepting, lets in-flight requests finish (up to drain_timeout), closes idle
  // connections. Safe to call from any thread, more than once.
  void stop();
  void handleSignals(std::function<void()> on_reload = {});
  std::size_t activeConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fraudgov::http
