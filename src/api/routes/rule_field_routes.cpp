// The rule-field catalog (predecessor-spec §8.2): fields, their versions and metadata.
#include <boost/json/array.hpp>

#include "api/cached_read.h"
#include "api/routes/routes.h"
#include "api/views.h"

namespace fraudgov::api {

namespace {

constexpr auth::Permission kCreate = auth::Permission::kRuleFieldCreate;
constexpr auth::Permission kUpdate = auth::Permission::kRuleFieldUpdate;
constexpr auth::Permission kDelete = auth::Permission::kRuleFieldDelete;

// A path key that cannot be a field key cannot name a field: 404 without echoing the input.
Result<std::string> fieldKeyParam(const http::Request& request) {
  const std::string key(request.pathParam("field_key").value_or(""));
  if (domain::checkFieldKey(key)) return fail(Error::notFound("Rule field not found"));
  return key;
}

Result<std::string> metaKeyParam(const http::Request& request) {
  const std::string key(request.pathParam("meta_key").value_or(""));
  if (domain::checkMetaKey(key)) return fail(Error::notFound("Metadata not found"));
  return key;
}

std::optional<domain::DataType> readDataType(ObjectReader& reader, const std::optional<std::string>& raw) {
  if (!raw) return std::nullopt;
  auto t = domain::parseDataType(*raw);
  if (!t) reader.issue("data_type", "Input should be 'STRING', 'NUMBER', 'BOOLEAN', 'DATE' or 'ENUM'");
  return t;
}

std::optional<std::vector<domain::Operator>> readOperators(ObjectReader& reader,
                                                           const std::optional<std::vector<std::string>>& raw) {
  if (!raw) return std::nullopt;
  std::vector<domain::Operator> ops;
  bool ok = true;
  for (std::size_t i = 0; i < raw->size(); ++i) {
    if (auto op = domain::parseOperator((*raw)[i])) {
      ops.push_back(*op);
    } else {
      reader.issue("allowed_operators[" + std::to_string(i) + "]", "Unknown operator '" + (*raw)[i] + "'");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return ops;
}

Result<service::NewField> readNewField(const boost::json::object& body) {
  ObjectReader reader(body);
  service::NewField input;
  auto key = reader.requiredString("field_key");
  auto name = reader.requiredString("display_name");
  auto description = reader.optionalString("description", true);
  auto data_type = readDataType(reader, reader.requiredString("data_type"));
  auto operators = readOperators(reader, reader.stringArray("allowed_operators", true));
  auto multi = reader.optionalBool("multi_value_allowed");
  auto sensitive = reader.optionalBool("is_sensitive");
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  input.field_key = *key;
  input.definition.display_name = *name;
  if (description) input.definition.description = *description;
  input.definition.data_type = *data_type;
  input.definition.allowed_operators = *operators;
  input.definition.multi_value_allowed = multi.value_or(false);
  input.definition.is_sensitive = sensitive.value_or(false);
  return input;
}

Result<service::FieldPatch> readFieldPatch(const boost::json::object& body) {
  ObjectReader reader(body);
  service::FieldPatch patch;
  if (auto name = reader.optionalString("display_name", false)) patch.display_name = **name;
  patch.description = reader.optionalString("description", true);
  if (reader.has("data_type")) {
    auto raw = reader.optionalString("data_type", false);
    if (raw) patch.data_type = readDataType(reader, *raw);
  }
  if (reader.has("allowed_operators")) {
    patch.allowed_operators = readOperators(reader, reader.stringArray("allowed_operators", true));
  }
  patch.multi_value_allowed = reader.optionalBool("multi_value_allowed");
  patch.is_sensitive = reader.optionalBool("is_sensitive");
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  return patch;
}

Result<boost::json::object> readMetaValue(const boost::json::object& body) {
  const auto* value = body.if_contains("meta_value");
  if (!value) return fail(domain::validationError("meta_value", "Field required"));
  if (!value->is_object()) return fail(domain::validationError("meta_value", "meta_value must be a JSON object"));
  return value->as_object();
}

}  // namespace

void addRuleFieldRoutes(RouteTable& routes, service::CatalogService& catalog, service::ReadCache& reads) {
  routes.addCachedRead("/api/v1/rule-fields", Access::authenticated(),
             [&catalog, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               return cachedJson(request, reads, service::ReadKey("rule-fields"), [&]() -> Result<boost::json::value> {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto fields, catalog.listFields());
                 return jsonArray(fields, fieldJson);
               });
             });

  routes.add(http::Method::kPost, "/api/v1/rule-fields", Access::permission(kCreate),
             [&catalog](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readNewField(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto field, catalog.createField(actorFor(principal, request), input));
               return jsonResponse(201, fieldJson(field));
             });

  routes.addCachedRead("/api/v1/rule-fields/{field_key}", Access::authenticated(),
             [&catalog, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               return cachedJson(request, reads, service::ReadKey("rule-field").add(key),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto field, catalog.getField(key));
                                   return fieldJson(field);
                                 });
             });

  routes.add(http::Method::kPatch, "/api/v1/rule-fields/{field_key}", Access::permission(kUpdate),
             [&catalog](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto patch, readFieldPatch(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto field, catalog.patchField(actorFor(principal, request), key, patch));
               return jsonResponse(200, fieldJson(field));
             });

  routes.add(http::Method::kGet, "/api/v1/rule-fields/{field_key}/versions", Access::authenticated(),
             [&catalog](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto versions, catalog.listVersions(key));
               return jsonResponse(200, jsonArray(versions, fieldVersionJson));
             });

  routes.add(http::Method::kGet, "/api/v1/rule-fields/{field_key}/metadata", Access::authenticated(),
             [&catalog](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto entries, catalog.listMetadata(key));
               return jsonResponse(200, jsonArray(entries, metadataJson));
             });

  routes.add(http::Method::kGet, "/api/v1/rule-fields/{field_key}/metadata/{meta_key}", Access::authenticated(),
             [&catalog](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto meta_key, metaKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto entry, catalog.getMetadata(key, meta_key));
               return jsonResponse(200, metadataJson(entry));
             });

  routes.add(http::Method::kPut, "/api/v1/rule-fields/{field_key}/metadata/{meta_key}", Access::permission(kUpdate),
             [&catalog](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto meta_key, metaKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto value, readMetaValue(body));
               FRAUDGOV_ASSIGN_OR_RETURN(
                   auto put, catalog.putMetadata(actorFor(principal, request), key, meta_key, std::move(value)));
               return jsonResponse(200, metadataJson(put.metadata));
             });

  routes.add(http::Method::kDelete, "/api/v1/rule-fields/{field_key}/metadata/{meta_key}", Access::permission(kDelete),
             [&catalog](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto key, fieldKeyParam(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto meta_key, metaKeyParam(request));
               FRAUDGOV_RETURN_IF_ERROR(catalog.deleteMetadata(actorFor(principal, request), key, meta_key));
               return http::Response::noContent();
             });
}

}  // namespace fraudgov::api
