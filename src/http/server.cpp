// The only translation unit that instantiates Beast and Asio templates for the server.
#include "http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include "common/text.h"
#include "http/request_head.h"
#include "http/response_head.h"
#include "http/target.h"

namespace fraudgov::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  std::atomic<bool> busy{false};
};

Response fallbackInternalError() {
  // Used only if the pipeline itself failed; still carries the mandatory headers.
  Response r;
  r.status = 500;
  r.headers.set("Content-Type", "application/problem+json");
  r.body =
      R"({"type":"https://fraudgov.dev/problems/internal","title":"Internal Server Error","status":500,)"
      R"("detail":"An unexpected error occurred","error":"InternalServerError","message":"An unexpected error occurred","details":{}})";
  r.close_connection = true;
  return r;
}

Refusal transportRefusal(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return Refusal::bodyTooLarge();
  if (ec == bhttp::error::header_limit) return Refusal::headerTooLarge();
  if (ec == beast::error::timeout) return Refusal::requestTimeout();
  return Refusal::malformed("Malformed HTTP request");
}

// Slack above the configured header limit for Beast's own check, whose boundary depends on how
// the bytes arrived; the exact limit is ours (headerWithinLimit on the bytes the head consumed).
constexpr std::uint32_t kBeastHeaderSlack = 1024;

// What `work` answers, or a 500 if it throws.
template <class Work>
Response caught(Work&& work) {
  try {
    return work();
  } catch (...) {
    return fallbackInternalError();
  }
}

using RequestParser = bhttp::request_parser<bhttp::string_body>;

// Feeds what the buffer holds to the parser, as Beast's read_header would before reading: the head
// is parsed when it is all there (error need_more otherwise, nothing lost: the parser keeps its
// state and the rest is read). Returns the error and the bytes the parser consumed.
std::pair<beast::error_code, std::size_t> parseBufferedHead(beast::flat_buffer& buffer, RequestParser& parser) {
  beast::error_code ec;
  if (buffer.size() == 0) return {bhttp::error::need_more, 0};
  const std::size_t used = parser.put(buffer.data(), ec);
  buffer.consume(used);
  if (!ec && !parser.is_header_done()) ec = bhttp::error::need_more;
  return {ec, used};
}

bool expectsContinue(const Request& request) {
  const auto expect = request.headers.get("Expect");
  return expect && text::iequals(text::trim(*expect), "100-continue");
}

void copyHeader(const bhttp::request_parser<bhttp::string_body>& parser, Request& request) {
  const auto& msg = parser.get();
  request.method_text = std::string(msg.method_string());
  request.method = parseMethod(request.method_text);
  request.target = std::string(msg.target());
  request.keep_alive = msg.keep_alive();
  for (const auto& field : msg) request.headers.add(field.name_string(), std::string(field.value()));
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o)
      : options(o), workers(o.worker_threads), operational_workers(std::max(1u, o.operational_threads)) {
    // One event loop per I/O thread, each owning the connections it accepted (as nginx's worker
    // processes do): a connection's handlers never migrate between threads, so they need no
    // strand, and the loops never wake each other.
    for (unsigned i = 0; i < std::max(1u, options.io_threads); ++i) {
      loops.push_back(std::make_unique<asio::io_context>(1));
      guards.emplace_back(loops.back()->get_executor());
    }
  }

  ServerOptions options;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  // The first loop also runs the acceptors, the signal handler and the drain.
  asio::io_context& ioc() { return *loops.front(); }
  std::atomic<std::size_t> next_loop{0};
  asio::io_context& nextLoop() { return *loops[next_loop.fetch_add(1, std::memory_order_relaxed) % loops.size()]; }
  asio::thread_pool workers;
  asio::thread_pool operational_workers;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::thread> threads;
  std::optional<asio::signal_set> signals;
  std::function<void()> on_reload;

  mutable std::mutex mu;
  std::unordered_set<std::shared_ptr<Connection>> connections;
  std::atomic<bool> draining{false};
  std::atomic<bool> finished{false};

  asio::awaitable<void> acceptLoop(tcp::acceptor& acceptor, RequestHandler& handler) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(nextLoop(), kTuple);
      if (draining) co_return;
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        // Out of descriptors or similar: back off instead of spinning.
        asio::steady_timer pause(ioc(), std::chrono::milliseconds(50));
        co_await pause.async_wait(kTuple);
        continue;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto connection = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(mu);
        connections.insert(connection);
      }
      asio::co_spawn(connection->stream.get_executor(), session(connection, handler),
                     [this, connection](std::exception_ptr) {
                       std::lock_guard lock(mu);
                       connections.erase(connection);
                     });
    }
  }

  // Answers on this I/O thread when the handler can without waiting (a cached body, 401, 429,
  // 304): posting to the pool and resuming here costs two thread wake-ups, more than such an
  // answer. Anything that would wait is deferred by the handler and runs on the worker pool.
  asio::awaitable<Response> answer(RequestHandler& handler, Request& request) {
    Response response = caught([&handler, &request] { return handler.tryWithoutWaiting(request); });
    if (!response.deferred) co_return response;
    // Health, readiness and metrics have workers of their own, so a pool full of requests stuck
    // on the database cannot starve them.
    co_return co_await onWorkers([&handler, &request] { return handler.handle(request); },
                                 handler.operational(request));
  }

  // Runs `work` on the worker pool and resumes the calling coroutine with its result. Written as
  // a plain initiation (no lambda coroutine): GCC 12 miscompiles moved captures in those.
  asio::awaitable<Response> onWorkers(std::function<Response()> work, bool operational = false) {
    return asio::async_initiate<const asio::use_awaitable_t<>, void(Response)>(
        [this, operational](auto handler, std::function<Response()> fn) {
          auto& pool = operational ? operational_workers : workers;
          asio::post(pool, [handler = std::move(handler), fn = std::move(fn)]() mutable {
            Response response = caught(fn);
            auto executor = asio::get_associated_executor(handler);
            asio::dispatch(executor, [handler = std::move(handler), response = std::move(response)]() mutable {
              handler(std::move(response));
            });
          });
        },
        asio::use_awaitable, std::move(work));
  }

  // Head and body in one gather write; the head is rendered here, not by Beast's serializer,
  // whose per-field allocations and nested buffer views cost more than the rest of a cached read.
  // Returns whether the connection may carry another request.
  asio::awaitable<bool> write(Connection& c, const Request& request, Response response, bool keep_alive) {
    c.stream.expires_after(options.write_timeout);
    ResponseFraming framing{keep_alive, request.method == Method::kHead};
    std::optional<std::string> head = renderResponseHead(response, framing);
    if (!head) {
      response = fallbackInternalError();
      framing.keep_alive = false;
      head = renderResponseHead(response, framing);
    }
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(*head), sendsBody(response, framing) ? asio::buffer(response.body) : asio::const_buffer()};
    auto [ec, n] = co_await asio::async_write(c.stream, buffers, kTuple);
    co_return framing.keep_alive && !ec;
  }

  asio::awaitable<void> rejectAndClose(Connection& c, RequestHandler& handler, Request request, Refusal refusal) {
    Response response = co_await onWorkers([&handler, &request, &refusal] { return handler.reject(request, refusal); });
    co_await write(c, request, std::move(response), false);
    co_await lingeringClose(c);
  }

  // After refusing a request whose body is still arriving, stop sending and read (and discard)
  // what the client keeps sending for a short while. Closing at once would make the kernel answer
  // the unread bytes with a reset, and the client would lose our response (nginx's lingering_close).
  asio::awaitable<void> lingeringClose(Connection& c) {
    constexpr std::size_t kMaxDrainBytes = 16 * 1024 * 1024;
    beast::error_code ec;
    c.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    std::array<char, 16384> sink;
    std::size_t drained = 0;
    c.stream.expires_after(std::chrono::seconds(2));
    while (drained < kMaxDrainBytes) {
      auto [rec, n] = co_await c.stream.async_read_some(asio::buffer(sink), kTuple);
      if (rec) break;
      drained += n;
    }
  }

  // Everything decided from the head alone, before any body byte is read: the exact header-size
  // limit, framing, Host and credential headers (http/request_head.h), the body limit, and the
  // target (parsed now so that a request answered without its body can still be routed).
  std::optional<Refusal> admissionRefusal(const bhttp::request_parser<bhttp::string_body>& parser, Request& request,
                                          std::size_t header_bytes) const {
    if (!headerWithinLimit(header_bytes, options.header_limit)) return Refusal::headerTooLarge();
    if (auto refusal = checkRequestHead({parser.get().version(), request.headers})) return refusal;
    const auto declared = parser.content_length();
    if (declared && *declared > options.body_limit) return Refusal::bodyTooLarge();
    if (!parseTarget(request.target, request)) return Refusal::malformed("Malformed request target");
    return std::nullopt;
  }

  // `Expect: 100-continue` asks us to invite the body. Only a request whose credentials the
  // handler accepts (RequestHandler::admitBody, run on a worker because it may verify a token)
  // gets the interim 100: an unauthenticated client cannot make us solicit and read megabytes it
  // could only ever be refused for. Any other request is answered now through the normal
  // handler, without its body (so with the 401/403 the guard gives), and the connection closed,
  // as the unread body may still be on its way. curl with a valid token uploads as before.
  // Returns whether the body may be read.
  asio::awaitable<bool> answerExpectation(Connection& c, RequestHandler& handler, Request& request) {
    bool admitted = false;
    Response early = co_await onWorkers([&handler, &request, &admitted] {
      admitted = handler.admitBody(request);
      return admitted ? Response{} : handler.handle(request);
    });
    if (!admitted) {
      early.close_connection = true;
      co_await write(c, request, std::move(early), false);
      co_await lingeringClose(c);
      co_return false;
    }
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    c.stream.expires_after(options.write_timeout);
    auto [wec, wn] = co_await asio::async_write(c.stream, asio::buffer(kContinue), kTuple);
    co_return !wec;
  }

  asio::awaitable<void> session(std::shared_ptr<Connection> c, RequestHandler& handler) {
    beast::flat_buffer buffer;
    bool first = true;
    std::string peer;
    {
      beast::error_code ec;
      auto ep = c->stream.socket().remote_endpoint(ec);
      if (!ec) peer = ep.address().to_string();
    }
    while (!draining) {
      // Wait for the first bytes of the next request under the idle budget; once a request
      // has started, the (shorter) header budget applies, which bounds slow-header attacks.
      if (buffer.size() == 0) {
        c->stream.expires_after(first ? options.header_timeout : options.idle_timeout);
        auto [ec, n] = co_await c->stream.async_read_some(buffer.prepare(8192), kTuple);
        if (ec) break;
        buffer.commit(n);
      }
      first = false;
      c->busy = true;
      Request request;
      request.peer_address = peer;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit) + kBeastHeaderSlack);
      parser.body_limit(options.body_limit);
      // A head already buffered whole (the usual case: it came in one segment) is parsed here and
      // now; only a partial one waits, under the header budget, for the rest.
      auto [hec, hn] = parseBufferedHead(buffer, parser);
      if (hec == bhttp::error::need_more) {
        c->stream.expires_after(options.header_timeout);
        auto [rec, more] = co_await bhttp::async_read_header(c->stream, buffer, parser, kTuple);
        hec = rec;
        hn += more;
      }
      if (hec) {
        // A timed-out beast::tcp_stream is already closed: a slow client just loses the connection
        // (as with nginx's client_header_timeout); everything else gets a problem response.
        if (hec != bhttp::error::end_of_stream && hec != asio::error::operation_aborted &&
            hec != beast::error::timeout) {
          if (parser.is_header_done()) copyHeader(parser, request);
          co_await rejectAndClose(*c, handler, std::move(request), transportRefusal(hec));
        }
        break;
      }
      copyHeader(parser, request);
      if (auto refusal = admissionRefusal(parser, request, hn)) {
        co_await rejectAndClose(*c, handler, std::move(request), std::move(*refusal));
        break;
      }
      if (!parser.is_done() && expectsContinue(request)) {
        const bool admitted = co_await answerExpectation(*c, handler, request);
        if (!admitted) break;
      }
      // A request without a body (most GETs) is complete with its head: no read, no timer, no
      // completion posted back through the loop.
      if (!parser.is_done()) {
        c->stream.expires_after(options.body_timeout);
        auto [bec, bn] = co_await bhttp::async_read(c->stream, buffer, parser, kTuple);
        if (bec) {
          if (bec != asio::error::operation_aborted && bec != beast::error::timeout) {
            co_await rejectAndClose(*c, handler, std::move(request), transportRefusal(bec));
          }
          break;
        }
      }
      request.body = std::move(parser.get().body());
      Response response = co_await answer(handler, request);
      const bool keep_alive = request.keep_alive && !response.close_connection && !draining;
      const bool open = co_await write(*c, request, std::move(response), keep_alive);
      c->busy = false;
      if (!open) break;
    }
    beast::error_code ignored;
    c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    c->stream.socket().close(ignored);
  }

  void closeIdleConnections(bool everything) {
    std::lock_guard lock(mu);
    for (const auto& c : connections) {
      if (everything || !c->busy) {
        asio::post(c->stream.get_executor(), [c] { c->stream.cancel(); });
      }
    }
  }

  asio::awaitable<void> drain() {
    const auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
    asio::steady_timer timer(ioc());
    for (;;) {
      closeIdleConnections(false);
      {
        std::lock_guard lock(mu);
        if (connections.empty()) break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        closeIdleConnections(true);
        break;
      }
      timer.expires_after(std::chrono::milliseconds(25));
      co_await timer.async_wait(kTuple);
    }
    if (signals) signals->cancel();
    for (auto& guard : guards) guard.reset();
    for (auto& loop : loops) loop->stop();
  }

  void beginStop() {
    if (draining.exchange(true)) return;
    asio::post(ioc(), [this] {
      for (auto& a : acceptors) {
        beast::error_code ignored;
        a->close(ignored);
      }
      asio::co_spawn(ioc(), drain(), asio::detached);
    });
  }

  void awaitSignal() {
    signals->async_wait([this](const beast::error_code& ec, int signo) {
      if (ec) return;
      if (signo == SIGHUP) {
        if (on_reload) asio::post(workers, on_reload);
        awaitSignal();
        return;
      }
      beginStop();
    });
  }

  void joinAll() {
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    threads.clear();
    workers.join();
    operational_workers.join();
    finished = true;
  }
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(options)) {}

Server::~Server() {
  if (!impl_->finished) {
    stop();
    impl_->joinAll();
  }
}

Result<unsigned short> Server::listen(const std::string& host, unsigned short port, RequestHandler& handler) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return fail(Error::validation("Invalid listen address: " + host));
  auto acceptor = std::make_unique<tcp::acceptor>(impl_->ioc());
  const tcp::endpoint endpoint(address, port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(Error::unavailable("Cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message()));
  const unsigned short bound = acceptor->local_endpoint().port();
  asio::co_spawn(impl_->ioc(), impl_->acceptLoop(*acceptor, handler), asio::detached);
  impl_->acceptors.push_back(std::move(acceptor));
  return bound;
}

void Server::handleSignals(std::function<void()> on_reload) {
  impl_->on_reload = std::move(on_reload);
  impl_->signals.emplace(impl_->ioc(), SIGINT, SIGTERM, SIGHUP);
  impl_->awaitSignal();
}

void Server::start() {
  for (auto& loop : impl_->loops) {
    impl_->threads.emplace_back([&loop] { loop->run(); });
  }
}

void Server::wait() {
  if (!impl_->finished) impl_->joinAll();
}

void Server::stop() { impl_->beginStop(); }

std::size_t Server::activeConnections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->connections.size();
}

}  // namespace fraudgov::http
