#pragma once
// A tiny blocking HTTP/1.1 server on 127.0.0.1 for tests that need a real peer: identity
// provider JWKS endpoints, S3-ish stubs. One thread per connection, Connection: close, bodies by
// Content-Length only. A response may be delayed (or "hang") without holding up stop().

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace fraudgov::testing {

struct MiniRequest {
  std::string method;
  std::string target;  // path plus query, as sent
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string path() const;                                        // target without the query
  std::optional<std::string> header(std::string_view name) const;  // case-insensitive
};

struct MiniResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Sleep before answering; stop() interrupts it. Use a long delay to simulate a hanging peer.
  std::chrono::milliseconds delay{0};

  static MiniResponse json(std::string body, int status = 200);
  static MiniResponse hang(std::chrono::milliseconds for_how_long = std::chrono::seconds(30));
};

class MiniHttpServer {
 public:
  using Handler = std::function<MiniResponse(const MiniRequest&)>;

  // Binds 127.0.0.1:0 and starts serving immediately; aborts the test binary if it cannot bind.
  explicit MiniHttpServer(Handler handler);
  ~MiniHttpServer();
  MiniHttpServer(const MiniHttpServer&) = delete;
  MiniHttpServer& operator=(const MiniHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string baseUrl() const;  // http://127.0.0.1:<port>
  std::string url(std::string_view path) const { return baseUrl() + std::string(path); }

  void setHandler(Handler handler);
  // Requests fully read (counted before the handler runs, so hanging requests count too).
  std::size_t requestCount() const { return requests_.load(); }
  void resetRequestCount() { requests_.store(0); }
  // Blocks until requestCount() >= n or the timeout passes; returns whether it got there.
  bool waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;

  // Closes the listener, interrupts delays and joins every thread. Idempotent.
  void stop();

 private:
  struct Connection {
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void acceptLoop();
  void serve(int fd);
  void reapFinished();
  bool sleepUnlessStopped(std::chrono::milliseconds d) const;
  MiniResponse dispatch(const MiniRequest& request);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> requests_{0};
  std::mutex mu_;
  Handler handler_;
  std::list<std::unique_ptr<Connection>> connections_;
  std::thread acceptor_;
};

}  // namespace fraudgov::testing
