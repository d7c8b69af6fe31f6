#pragma once
// Middleware chain. Every response the server writes, including ones for requests that never
// reached the router (413, 431, malformed requests), goes through the same chain, so the
// security headers and request id cannot be forgotten on any path.

#include <functional>
#include <vector>

#include "common/error.h"
#include "http/refusal.h"
#include "http/router.h"

namespace fraudgov::http {

class Pipeline;

// Calls the rest of the chain; cheap to copy, valid only during Pipeline::run.
class Next {
 public:
  Next(const Pipeline& pipeline, std::size_t index, const Handler& terminal)
      : pipeline_(&pipeline), index_(index), terminal_(&terminal) {}
  Response operator()(Request& request) const;

 private:
  const Pipeline* pipeline_;
  std::size_t index_;
  const Handler* terminal_;
};

using Middleware = std::function<Response(Request&, const Next& next)>;

class Pipeline {
 public:
  void use(Middleware m) { middleware_.push_back(std::move(m)); }
  Response run(Request& request, const Handler& terminal) const { return Next(*this, 0, terminal)(request); }

 private:
  friend class Next;
  std::vector<Middleware> middleware_;
};

// What the server talks to: one per listener.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual Response handle(Request& request) = 0;
  // Called on an I/O thread before handle(): the answer when it can be given without waiting
  // (a cached body, a 401, a 429, a 304), else Response::defer(), and then handle() runs on the
  // worker pool. The hand-off to the pool and back costs more than such an answer does.
  // Default: defer everything.
  virtual Response tryWithoutWaiting(Request& request) {
    (void)request;
    return Response::defer();
  }
  // A request the transport refused before it could be routed (too large, malformed, slow).
  virtual Response reject(Request& request, const Refusal& refusal) = 0;
  // The client sent `Expect: 100-continue`: may the server invite its body? Called with the
  // head only (target parsed, no body). True when the request carries credentials the handler
  // accepts; otherwise the server answers with handle() at once, without reading the body.
  // Default: no listener solicits bodies it has not vetted.
  virtual bool admitBody(Request& request) {
    (void)request;
    return false;
  }
  // Is this (routed, not yet handled) request an operational one (health, readiness, metrics)?
  // The server runs those on workers of their own, which stuck database calls cannot take. Called
  // on an I/O thread with the head only (target parsed): must be cheap and never block.
  virtual bool operational(const Request& request) const {
    (void)request;
    return false;
  }
};

}  // namespace fraudgov::http
