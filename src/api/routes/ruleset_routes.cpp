// Rulesets, ruleset versions, their workflow, activation and compile preview (predecessor-spec
// §8.6), and the artifact signing keys a runtime verifies with.
#include <charconv>
#include <climits>

#include "api/cached_read.h"
#include "api/publication_views.h"
#include "api/governance_inputs.h"
#include "api/routes/routes.h"
#include "api/views.h"
#include "common/uuid.h"
#include "service/publisher.h"

namespace fraudgov::api {

namespace {

using auth::Permission;
using http::Method;

Result<service::NewRuleset> readNewRuleset(const boost::json::object& body) {
  ObjectReader reader(body);
  service::NewRuleset input;
  auto environment = reader.requiredString("environment");
  auto region = reader.requiredString("region");
  auto country = reader.requiredString("country");
  auto type = reader.requiredString("rule_type");
  std::optional<domain::RuleType> rule_type;
  if (type) {
    // Case-insensitive as the predecessor; stored upper-case.
    std::string upper;
    for (char c : *type) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    rule_type = domain::parseRuleType(upper);
    if (!rule_type) reader.issue("rule_type", "rule_type must be one of ALLOWLIST, BLOCKLIST, AUTH, MONITORING");
  }
  auto name = reader.optionalString("name", true);
  auto description = reader.optionalString("description", true);
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  input.environment = *environment;
  input.region = *region;
  input.country = *country;
  input.rule_type = *rule_type;
  if (name) input.name = *name;
  if (description) input.description = *description;
  return input;
}

Result<std::vector<std::string>> readMembership(const boost::json::object& body) {
  ObjectReader reader(body);
  auto ids = reader.stringArray("rule_version_ids", false);
  std::vector<std::string> out;
  if (ids) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      auto id = uuid::normalize((*ids)[i]);
      if (id) {
        out.push_back(*id);
      } else {
        reader.issue("rule_version_ids[" + std::to_string(i) + "]", "Input should be a valid UUID");
      }
    }
  }
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  return out;  // empty or oversized lists are refused by the service with the predecessor's messages
}

Result<store::RulesetFilter> readRulesetFilter(const http::Request& request) {
  store::RulesetFilter f;
  FRAUDGOV_ASSIGN_OR_RETURN(f.rule_type, singleQueryParam(request, "rule_type"));
  if (f.rule_type && f.rule_type->empty()) f.rule_type.reset();
  if (f.rule_type && !domain::parseRuleType(*f.rule_type)) {
    return fail(domain::validationError("query.rule_type", "Unknown rule_type"));
  }
  for (auto [name, slot] : {std::pair{"environment", &f.environment}, {"region", &f.region}, {"country", &f.country}}) {
    FRAUDGOV_ASSIGN_OR_RETURN(*slot, singleQueryParam(request, name));
    if (*slot && slot->value().empty()) slot->reset();  // empty values are ignored, as the predecessor
    if (*slot && (*slot)->size() > 64) return fail(domain::validationError(std::string("query.") + name, "too long"));
  }
  return f;
}

using Transition = Result<service::RulesetVersionView> (service::RulesetService::*)(const domain::Actor&,
                                                                                   std::string_view,
                                                                                   const service::DecisionInput&);

}  // namespace

void addRulesetRoutes(RouteTable& routes, service::RulesetService& rulesets, store::Database& db,
                      service::ReadCache& reads) {
  routes.add(Method::kPost, "/api/v1/rulesets", Access::permission(Permission::kRulesetCreate),
             [&rulesets](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readNewRuleset(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto ruleset, rulesets.createRuleset(actorFor(principal, request), input));
               return jsonResponse(201, rulesetJson(ruleset));
             });

  routes.addCachedRead("/api/v1/rulesets", Access::authenticated(),
             [&rulesets, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto filter, readRulesetFilter(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto paging, pageParams(request, 50, 100));
               const auto key = pageKey(service::ReadKey("rulesets")
                                            .add(filter.rule_type)
                                            .add(filter.environment)
                                            .add(filter.region)
                                            .add(filter.country),
                                        paging);
               return cachedJson(request, reads, key, [&]() -> Result<boost::json::value> {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto page, rulesets.listRulesets(filter, paging));
                 return pageJson(page, rulesetJson);
               });
             });

  routes.addCachedRead("/api/v1/rulesets/{ruleset_id}", Access::authenticated(),
             [&rulesets, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_id", "Ruleset"));
               return cachedJson(request, reads, service::ReadKey("ruleset").add(id),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto ruleset, rulesets.getRuleset(id));
                                   return rulesetJson(ruleset);
                                 });
             });

  routes.add(Method::kPost, "/api/v1/rulesets/{ruleset_id}/versions", Access::permission(Permission::kRulesetUpdate),
             [&rulesets](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_id", "Ruleset"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto ids, readMembership(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto version, rulesets.createVersion(actorFor(principal, request), id, ids));
               return jsonResponse(201, rulesetVersionJson(version));
             });

  routes.addCachedRead("/api/v1/rulesets/{ruleset_id}/versions", Access::authenticated(),
             [&rulesets, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               // A well-formed but unknown id gives an empty page (the predecessor's answer); a
               // malformed one names nothing at all.
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_id", "Ruleset"));
               FRAUDGOV_ASSIGN_OR_RETURN(
                   auto status, namedQueryParam(request, "status", domain::parseVersionStatus, "Unknown status"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto paging, pageParams(request, 50, 100));
               return cachedJson(request, reads, pageKey(service::ReadKey("ruleset-versions").add(id).add(status), paging),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto page, rulesets.listVersions(id, status, paging));
                                   return pageJson(page, rulesetVersionJson);
                                 });
             });

  routes.addCachedRead("/api/v1/ruleset-versions/{ruleset_version_id}", Access::authenticated(),
             [&rulesets, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_version_id", "Ruleset version"));
               return cachedJson(request, reads, service::ReadKey("ruleset-version").add(id),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto version, rulesets.getVersion(id));
                                   return rulesetVersionJson(version);
                                 });
             });

  routes.add(Method::kPost, "/api/v1/ruleset-versions/{ruleset_version_id}/submit",
             Access::permission(Permission::kRulesetSubmit),
             [&rulesets](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_version_id", "Ruleset version"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readSubmit(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto version, rulesets.submit(actorFor(principal, request), id, input));
               return jsonResponse(200, rulesetVersionJson(version));
             });

  auto decision = [&](std::string_view action, Permission permission, Transition decide) {
    routes.add(Method::kPost, "/api/v1/ruleset-versions/{ruleset_version_id}/" + std::string(action),
               Access::permission(permission),
               [&rulesets, decide](http::Request& request, const auth::Principal& principal) -> RouteResult {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_version_id", "Ruleset version"));
                 FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
                 FRAUDGOV_ASSIGN_OR_RETURN(auto input, readDecision(body));
                 FRAUDGOV_ASSIGN_OR_RETURN(auto version, (rulesets.*decide)(actorFor(principal, request), id, input));
                 return jsonResponse(200, rulesetVersionJson(version));
               });
  };
  decision("approve", Permission::kRulesetApprove, &service::RulesetService::approve);
  decision("reject", Permission::kRulesetReject, &service::RulesetService::reject);

  routes.add(Method::kPost, "/api/v1/ruleset-versions/{ruleset_version_id}/activate",
             Access::permission(Permission::kRulesetActivate),
             [&rulesets](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_version_id", "Ruleset version"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
               FRAUDGOV_RETURN_IF_ERROR(readDecision(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto version, rulesets.activate(actorFor(principal, request), id));
               return jsonResponse(200, rulesetVersionJson(version));
             });

  // The predecessor's permission: compiling is a read (a preview), not ruleset:compile.
  routes.add(Method::kPost, "/api/v1/ruleset-versions/{ruleset_version_id}/compile",
             Access::permission(Permission::kRuleRead),
             [&rulesets](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "ruleset_version_id", "Ruleset version"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto preview, rulesets.compile(id));
               return jsonResponse(200, compilePreviewJson(preview));
             });

  routes.add(Method::kGet, "/api/v1/artifact-keys", Access::permission(Permission::kRulesetRead),
             [&db](http::Request&, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto keys, store::inStatement(db, [](store::SqlSession& s) {
                                           return store::PublicationStore::listKeys(s);
                                         }));
               FRAUDGOV_ASSIGN_OR_RETURN(auto set, service::Publisher::keySetJson(keys));
               return jsonResponse(200, set);
             });
}

void addFieldRegistryRoutes(RouteTable& routes, service::FieldRegistryService& registry, service::ReadCache& reads) {
  auto versionParam = [](const http::Request& request) -> Result<int> {
    const std::string raw(request.pathParam("registry_version").value_or(""));
    int value = 0;
    auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
    if (ec != std::errc() || ptr != raw.data() + raw.size() || value < 0) {
      return fail(domain::validationError("path.registry_version", "registry_version must be an integer"));
    }
    return value;
  };

  routes.addCachedRead("/api/v1/field-registry", Access::authenticated(),
             [&registry, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               return cachedJson(request, reads, service::ReadKey("field-registry"), [&]() -> Result<boost::json::value> {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto latest, registry.latest());
                 return latestRegistryJson(latest);
               });
             });

  routes.addCachedRead("/api/v1/field-registry/versions", Access::authenticated(),
             [&registry, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               return cachedJson(request, reads, service::ReadKey("field-registry-versions"),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto manifests, registry.list());
                                   return jsonArray(manifests, registryManifestJson);
                                 });
             });

  routes.addCachedRead("/api/v1/field-registry/versions/{registry_version}", Access::authenticated(),
             [&registry, &reads, versionParam](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(int version, versionParam(request));
               return cachedJson(request, reads, service::ReadKey("field-registry-version").add(version),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto manifest, registry.find(version));
                                   return registryManifestJson(manifest);
                                 });
             });

  // The fields as that version published them (the predecessor ignored the version).
  routes.addCachedRead("/api/v1/field-registry/versions/{registry_version}/fields", Access::authenticated(),
             [&registry, &reads, versionParam](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(int version, versionParam(request));
               return cachedJson(request, reads, service::ReadKey("field-registry-fields").add(version),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto manifest, registry.find(version));
                                   return manifest.fields;
                                 });
             });

  routes.add(Method::kGet, "/api/v1/field-registry/next-field-id", Access::permission(Permission::kRuleFieldCreate),
             [&registry](http::Request&, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(int next, registry.nextFieldId());
               return jsonResponse(200, {{"next_field_id", next}});
             });

  routes.add(Method::kPost, "/api/v1/field-registry/publish", Access::permission(Permission::kRuleFieldCreate),
             [&registry](http::Request& request, const auth::Principal& principal) -> RouteResult {
               // The operation takes no input: an empty body or {} only, anything else is refused.
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
               if (!body.empty()) return fail(domain::validationError("body", "This operation takes no request body"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto manifest, registry.publish(actorFor(principal, request)));
               return jsonResponse(201, registryManifestJson(manifest));
             });
}

}  // namespace fraudgov::api
