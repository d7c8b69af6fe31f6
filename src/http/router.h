#pragma once
// Path-template router: /api/v1/rule-fields/{field_key}. Matching yields the route template,
// which middleware uses for metrics and logs (never the raw path, which carries ids).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace fraudgov::http {

using Handler = std::function<Response(Request&)>;

// Whether a route's handler may wait (database, network). One that defers instead
// (Response::defer() under Request::no_blocking) may be tried on an I/O thread.
enum class Waits { kMay, kDefersInstead };

struct Route {
  Method method;
  std::string path_template;
  std::vector<std::string> segments;  // "{name}" marks a parameter
  Handler handler;
  // Who may call it, as declared by the layer that registered it (e.g. "permission:rule:read",
  // "authenticated", "operational:health", "public"); listed by tests and the OpenAPI document.
  std::string access;
  Waits waits = Waits::kMay;
  std::size_t param_count = 0;  // "{name}" segments
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
  const Route* route = nullptr;
  Params params;
  std::string path_template;  // set for kFound and kMethodNotAllowed
  std::string allow;          // "GET, POST" for kMethodNotAllowed
};

class Router {
 public:
  // `access` is required: a route without a declared requirement is a bug (see Route::access).
  void add(Method method, std::string_view path_template, std::string access, Handler handler,
           Waits waits = Waits::kMay);
  // HEAD falls back to the GET route of the same path.
  RouteMatch match(Method method, const std::vector<std::string>& segments) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool matchSegments(const Route& route, const std::vector<std::string>& segments, Params* params);
  std::vector<Route> routes_;
  // Indices into routes_ by segment count: a path is only ever compared with templates as long.
  std::vector<std::vector<std::size_t>> by_length_;
};

std::vector<std::string> splitPath(std::string_view path);

}  // namespace fraudgov::http
