#pragma once
// The OpenAPI 3.1 description of what a router serves, generated from its route table so the
// document cannot drift from the routes: every operation carries the access requirement the route
// declared (and enforces), its path parameters, the success status and the problem responses.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace fraudgov::api {

// One operation per route; `version` becomes info.version.
boost::json::object openApiDocument(const std::vector<http::Route>& routes, std::string_view version);

// "get_api_v1_rule_fields_by_field_key" for GET /api/v1/rule-fields/{field_key}: stable across
// builds, unique per method and path.
std::string operationId(http::Method method, std::string_view path_template);

// The status a successful call answers with: the predecessor's 201 for its create operations,
// 204 for DELETE, otherwise 200.
unsigned successStatus(http::Method method, std::string_view path_template);

}  // namespace fraudgov::api
