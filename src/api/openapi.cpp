#include "api/openapi.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "api/route_table.h"

namespace fraudgov::api {

namespace {

constexpr std::string_view kProblemRef = "#/components/schemas/Problem";
constexpr std::string_view kPermissionPrefix = "permission:";

// The predecessor's create operations answer 201 (predecessor-openapi.json); the contract test
// compares every shared operation's success status with that file. Parameter names are elided.
constexpr std::array<std::string_view, 6> kCreates = {"/api/v1/rule-fields", "/api/v1/field-registry/publish",
                                                      "/api/v1/rules",       "/api/v1/rules/{}/versions",
                                                      "/api/v1/rulesets",    "/api/v1/rulesets/{}/versions"};

std::string elideParameterNames(std::string_view path_template) {
  std::string out;
  bool in_param = false;
  for (char c : path_template) {
    if (c == '{') in_param = true;
    if (!in_param) out += c;
    if (c == '}') {
      out += "{}";
      in_param = false;
    }
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

boost::json::object jsonContent(std::string_view media_type, boost::json::object schema) {
  return {{std::string(media_type), boost::json::object{{"schema", std::move(schema)}}}};
}

boost::json::object problemResponse(std::string_view description) {
  return {{"description", description}, {"content", jsonContent("application/problem+json", {{"$ref", kProblemRef}})}};
}

boost::json::object successResponse(unsigned status, std::string_view access) {
  if (status == 204) return {{"description", "No Content"}};
  // Metrics are the Prometheus text exposition; everything else answers JSON.
  const bool metrics = access == "operational:metrics";
  return {{"description", status == 201 ? "Created" : "OK"},
          {"content", metrics ? jsonContent("text/plain", {{"type", "string"}}) : jsonContent("application/json", {})}};
}

const boost::json::object& etagHeader() {
  static const boost::json::object header{
      {"ETag", {{"description", "Strong validator of the response bytes"}, {"schema", {{"type", "string"}}}}}};
  return header;
}

boost::json::object responses(const http::Route& route) {
  const unsigned success = successStatus(route.method, route.path_template);
  boost::json::object out{{std::to_string(success), successResponse(success, route.access)}};
  if (RouteTable::isCachedRead(route)) {
    out[std::to_string(success)].as_object()["headers"] = etagHeader();
    out["304"] = {{"description", "Not Modified: an entity tag in If-None-Match is current (no body)"},
                  {"headers", etagHeader()}};
  }
  const bool credentialed = route.access != "public";
  // The admin-access gate answers 403 to a wrong token, as a permission check does to a missing grant.
  const bool can_forbid = route.access.starts_with(kPermissionPrefix) || route.access.starts_with("operational:");
  if (credentialed) out["401"] = problemResponse("Missing or invalid credentials");
  if (can_forbid) out["403"] = problemResponse("The credentials do not grant this operation");
  out["404"] = problemResponse("Not found");
  out["422"] = problemResponse("Validation failed (details.errors lists each problem)");
  out["429"] = problemResponse("Rate limited (Retry-After says when to retry)");
  out["500"] = problemResponse("Internal error (never carries internal detail)");
  out["503"] = problemResponse(
      "A dependency (database, identity provider) is unavailable or did not answer in time, or storage cannot be "
      "written");
  return out;
}

// Which security scheme a declared access string maps to: bearer tokens for the governance API,
// the operational token headers for health and metrics, none for public routes.
boost::json::array security(std::string_view access) {
  auto requirement = [](std::string_view scheme) {
    return boost::json::array{boost::json::object{{scheme, boost::json::array{}}}};
  };
  if (access.starts_with(kPermissionPrefix) || access == "authenticated") return requirement("bearerAuth");
  if (access == "operational:health") return requirement("healthToken");
  if (access == "operational:metrics") return requirement("metricsToken");
  return {};
}

boost::json::array pathParameters(const http::Route& route) {
  boost::json::array out;
  for (const auto& segment : route.segments) {
    if (segment.size() < 2 || segment.front() != '{' || segment.back() != '}') continue;
    out.push_back(boost::json::object{{"name", segment.substr(1, segment.size() - 2)},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", {{"type", "string"}}}});
  }
  return out;
}

boost::json::object operation(const http::Route& route) {
  boost::json::object op{{"operationId", operationId(route.method, route.path_template)},
                         {"summary", std::string(http::methodName(route.method)) + " " + route.path_template}};
  auto parameters = pathParameters(route);
  if (RouteTable::isCachedRead(route)) {
    parameters.push_back(boost::json::object{
        {"name", "If-None-Match"},
        {"in", "header"},
        {"required", false},
        {"description", "Entity tags of responses the client holds (weak comparison, RFC 9110 §13.1.2)"},
        {"schema", {{"type", "string"}}}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  op["security"] = security(route.access);
  op["x-fraudgov-access"] = route.access;
  if (route.access.starts_with(kPermissionPrefix)) {
    op["x-required-permission"] = route.access.substr(kPermissionPrefix.size());
  }
  op["responses"] = responses(route);
  return op;
}

boost::json::object problemSchema() {
  auto string = [] { return boost::json::object{{"type", "string"}}; };
  return {{"type", "object"},
          {"description", "RFC 9457 problem details plus the predecessor's error members"},
          {"required", {"type", "title", "status", "detail", "error", "message", "details", "request_id"}},
          {"properties",
           {{"type", string()},
            {"title", string()},
            {"status", {{"type", "integer"}}},
            {"detail", string()},
            {"instance", string()},
            {"error", string()},
            {"message", string()},
            {"details", {{"type", "object"}}},
            {"request_id", string()}}}};
}

boost::json::object securitySchemes() {
  return {
      {"bearerAuth",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"bearerFormat", "JWT"},
        {"description", "An access token of the configured identity provider"}}},
      {"healthToken",
       {{"type", "apiKey"},
        {"in", "header"},
        {"name", "X-Health-Token"},
        {"description", "HEALTH_TOKEN (also as a bearer token); HEALTH_ALLOW_CIDRS may restrict or replace it"}}},
      {"metricsToken",
       {{"type", "apiKey"},
        {"in", "header"},
        {"name", "X-Metrics-Token"},
        {"description", "METRICS_TOKEN (also as a bearer token); METRICS_ALLOW_CIDRS may restrict or replace it"}}}};
}

}  // namespace

std::string operationId(http::Method method, std::string_view path_template) {
  std::string id = lower(http::methodName(method));
  for (const auto& segment : http::splitPath(path_template)) {
    const bool parameter = segment.starts_with('{');
    id += parameter ? "_by_" : "_";
    for (char c : segment) {
      if (c == '{' || c == '}') continue;
      id += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    }
  }
  return id;
}

unsigned successStatus(http::Method method, std::string_view path_template) {
  if (method == http::Method::kDelete) return 204;
  const std::string elided = elideParameterNames(path_template);
  const bool creates = std::find(kCreates.begin(), kCreates.end(), elided) != kCreates.end();
  return method == http::Method::kPost && creates ? 201 : 200;
}

boost::json::object openApiDocument(const std::vector<http::Route>& routes, std::string_view version) {
  boost::json::object paths;
  for (const auto& route : routes) {
    auto& item = paths[route.path_template];
    if (!item.is_object()) item = boost::json::object{};
    item.as_object()[lower(http::methodName(route.method))] = operation(route);
  }
  return {
      {"openapi", "3.1.0"},
      {"info", {{"title", "fraudgov"}, {"description", "Fraud-rule governance control plane"}, {"version", version}}},
      {"paths", std::move(paths)},
      {"components", {{"securitySchemes", securitySchemes()}, {"schemas", {{"Problem", problemSchema()}}}}}};
}

}  // namespace fraudgov::api
