#include "http/router.h"

#include <stdexcept>

namespace fraudgov::http {

namespace {
bool isParam(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }
}  // namespace

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    const auto piece = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out.emplace_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (!out.empty() && out.back().empty() && out.size() > 1) out.pop_back();  // tolerate one trailing slash
  return out;
}

void Router::add(Method method, std::string_view path_template, std::string access, Handler handler, Waits waits) {
  if (access.empty()) throw std::logic_error("route without an access requirement: " + std::string(path_template));
  Route route{method, std::string(path_template), splitPath(path_template), std::move(handler), std::move(access),
              waits};
  for (const auto& s : route.segments) route.param_count += isParam(s) ? 1 : 0;
  // Two templates that differ only in parameter names would shadow each other.
  auto sameShape = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (isParam(a[i]) != isParam(b[i]) || (!isParam(a[i]) && a[i] != b[i])) return false;
    }
    return true;
  };
  for (const auto& existing : routes_) {
    if (existing.method == method && sameShape(existing.segments, route.segments)) {
      throw std::logic_error("duplicate route " + route.path_template);
    }
  }
  if (by_length_.size() <= route.segments.size()) by_length_.resize(route.segments.size() + 1);
  by_length_[route.segments.size()].push_back(routes_.size());
  routes_.push_back(std::move(route));
}

bool Router::matchSegments(const Route& route, const std::vector<std::string>& segments, Params* params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& pattern = route.segments[i];
    if (isParam(pattern)) {
      if (segments[i].empty()) return false;
      if (params) params->emplace_back(pattern.substr(1, pattern.size() - 2), segments[i]);
    } else if (pattern != segments[i]) {
      return false;
    }
  }
  return true;
}

RouteMatch Router::match(Method method, const std::vector<std::string>& segments) const {
  RouteMatch result;
  const Method wanted = method == Method::kHead ? Method::kGet : method;
  // Literal segments win over parameters (/rules/simulate before /rules/{rule_id}): try exact
  // matches with the fewest parameters first.
  const Route* best = nullptr;
  std::size_t best_params = SIZE_MAX;
  std::string allow;
  if (segments.size() >= by_length_.size()) return result;
  for (const std::size_t index : by_length_[segments.size()]) {
    const Route& route = routes_[index];
    if (!matchSegments(route, segments, nullptr)) continue;
    if (route.method == wanted) {
      if (route.param_count < best_params) {
        best = &route;
        best_params = route.param_count;
      }
    } else {
      if (result.path_template.empty()) result.path_template = route.path_template;
      const auto name = methodName(route.method);
      if (allow.find(name) == std::string::npos) {
        if (!allow.empty()) allow += ", ";
        allow += name;
      }
    }
  }
  if (best) {
    result.kind = RouteMatch::Kind::kFound;
    result.route = best;
    result.path_template = best->path_template;
    matchSegments(*best, segments, &result.params);
    return result;
  }
  if (!allow.empty()) {
    result.kind = RouteMatch::Kind::kMethodNotAllowed;
    if (allow.find("GET") != std::string::npos) allow += ", HEAD";
    result.allow = std::move(allow);
  }
  return result;
}

}  // namespace fraudgov::http
