// Rules, rule versions, the maker-checker actions and simulation (predecessor-spec §8.4).
#include <climits>

#include "api/cached_read.h"
#include "api/governance_inputs.h"
#include "api/routes/routes.h"
#include "api/views.h"
#include "common/text.h"
#include "common/uuid.h"
#include "observability/governance_metrics.h"

namespace fraudgov::api {

namespace {

std::optional<domain::RuleType> readRuleType(ObjectReader& reader) {
  auto raw = reader.requiredString("rule_type");
  if (!raw) return std::nullopt;
  auto type = domain::parseRuleType(*raw);
  if (!type) reader.issue("rule_type", "Input should be 'ALLOWLIST', 'BLOCKLIST', 'AUTH' or 'MONITORING'");
  return type;
}

std::optional<domain::RuleAction> readAction(ObjectReader& reader) {
  auto raw = reader.optionalString("action", true);
  if (!raw || !*raw) return std::nullopt;
  auto action = domain::parseRuleAction(**raw);
  if (!action) reader.issue("action", "Input should be 'APPROVE', 'DECLINE' or 'REVIEW'");
  return action;
}

// condition_tree, required and an object; null after an issue (the request is refused anyway).
boost::json::value requiredTree(ObjectReader& reader) {
  const auto* tree = reader.value("condition_tree");
  if (!tree) {
    reader.issue("condition_tree", "Field required");
  } else if (!tree->is_object()) {
    reader.issue("condition_tree", "Input should be a valid object");
  } else {
    return *tree;
  }
  return nullptr;
}

int readPriority(ObjectReader& reader) {
  return static_cast<int>(reader.optionalInt("priority", INT_MIN, INT_MAX, false).value_or(domain::kDefaultPriority));
}

Result<service::NewRule> readNewRule(const boost::json::object& body) {
  ObjectReader reader(body);
  service::NewRule input;
  auto name = reader.requiredString("rule_name");
  auto description = reader.optionalString("description", true);
  auto type = readRuleType(reader);
  if (const auto* tree = reader.value("condition_tree"); tree && !tree->is_null()) {
    if (tree->is_object()) {
      input.condition_tree = *tree;
    } else {
      reader.issue("condition_tree", "Input should be a valid object");
    }
  }
  input.priority = readPriority(reader);
  input.action = readAction(reader);
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  input.rule_name = *name;
  if (description) input.description = *description;
  input.rule_type = *type;
  return input;
}

Result<service::NewRuleVersion> readNewVersion(const boost::json::object& body) {
  ObjectReader reader(body);
  service::NewRuleVersion input;
  input.condition_tree = requiredTree(reader);
  input.priority = readPriority(reader);
  input.action = readAction(reader);
  if (auto scope = reader.optionalObject("scope", false)) input.scope = std::move(*scope);
  if (auto expected = reader.optionalInt("expected_rule_version", 0, INT_MAX, true)) {
    input.expected_rule_version = static_cast<int>(*expected);
  }
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  return input;
}

// Records a submission or decision in fraudgov_approvals_total{subject="rule_version",outcome}.
void recordApproval(observability::GovernanceMetrics& metrics, const RouteResult& result,
                    observability::ApprovalOutcome success) {
  using observability::ApprovalOutcome;
  ApprovalOutcome outcome = success;
  if (!result) {
    const Error& e = result.error();
    if (e.code == ErrorCode::kSeparationOfDuties) {
      outcome = ApprovalOutcome::kMakerCheckerDenied;
    } else if (e.code == ErrorCode::kFailedPrecondition && e.details.contains("content_changed")) {
      outcome = ApprovalOutcome::kContentChanged;
    } else if (e.code == ErrorCode::kFailedPrecondition) {
      outcome = ApprovalOutcome::kConflict;
    } else {
      return;  // 4xx about the request itself (not found, forbidden, invalid): not an approval event
    }
  }
  metrics.approval(observability::ApprovalSubject::kRuleVersion, outcome);
}

// Runs a submission or decision handler and records its outcome.
PrincipalHandler approvalRoute(observability::GovernanceMetrics& metrics, observability::ApprovalOutcome success,
                               PrincipalHandler fn) {
  return [&metrics, success, fn = std::move(fn)](http::Request& request, const auth::Principal& principal) {
    RouteResult result = fn(request, principal);
    recordApproval(metrics, result, success);
    return result;
  };
}

constexpr std::size_t kMaxSimulatedTransactions = 10000;
constexpr std::size_t kMaxTransactionIdLength = 256;

// transaction_id is echoed into every result row: keep it a short scalar, so the response
// cannot be made to carry arbitrary nested JSON or long strings back (issue 11 item 8).
std::optional<std::string> transactionIdProblem(const boost::json::object& txn) {
  const auto* id = txn.if_contains("transaction_id");
  if (!id || id->is_null() || id->is_number()) return std::nullopt;
  if (!id->is_string()) return "transaction_id must be a string";
  if (text::codePointCount(id->get_string()) > kMaxTransactionIdLength) {
    return "transaction_id must be at most 256 characters";
  }
  return std::nullopt;
}

Result<service::SimulationRequest> readSimulation(const boost::json::object& body) {
  ObjectReader reader(body);
  service::SimulationRequest input;
  auto type = readRuleType(reader);
  input.condition_tree = requiredTree(reader);
  (void)reader.optionalObject("scope", false);
  (void)reader.optionalObject("query", true);  // the predecessor's unused query object: accepted, ignored
  if (const auto* txns = reader.value("transactions")) {
    if (!txns->is_array()) {
      reader.issue("transactions", "Input should be a valid list");
    } else if (txns->as_array().size() > kMaxSimulatedTransactions) {
      reader.issue("transactions", "At most 10000 transactions per simulation");
    } else {
      const auto& array = txns->as_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (!array[i].is_object()) {
          reader.issue("transactions[" + std::to_string(i) + "]", "Each transaction must be an object");
          break;
        }
        if (auto why = transactionIdProblem(array[i].as_object())) {
          reader.issue("transactions[" + std::to_string(i) + "].transaction_id", *why);
          break;
        }
        input.transactions.push_back(array[i].as_object());
      }
    }
  }
  if (auto problem = reader.problem()) return fail(std::move(*problem));
  input.rule_type = *type;
  return input;
}

boost::json::object simulationJson(const service::SimulationRequest& request, const service::SimulationOutcome& out) {
  boost::json::array samples;
  boost::json::array results;
  for (std::size_t i = 0; i < request.transactions.size(); ++i) {
    const auto& txn = request.transactions[i];
    const auto* id = txn.if_contains("transaction_id");
    const bool matched = out.result.matched[i];
    boost::json::object r{{"index", i}, {"matched", matched}};
    r["transaction_id"] = id ? *id : boost::json::value(nullptr);
    results.push_back(std::move(r));
    if (matched && samples.size() < 100) {
      samples.push_back(id && id->is_string() ? *id : boost::json::value(std::to_string(i)));
    }
  }
  return {{"match_count", out.result.match_count},
          {"evaluated_count", request.transactions.size()},
          {"sample_transactions", std::move(samples)},
          {"simulation_id", uuid::v7()},
          {"rule_type", domain::ruleTypeName(request.rule_type)},
          {"normalized_condition_tree", out.normalized_tree},
          {"results", std::move(results)}};
}

Result<store::RuleFilter> readRuleFilter(const http::Request& request) {
  store::RuleFilter f;
  FRAUDGOV_ASSIGN_OR_RETURN(f.rule_type,
                            namedQueryParam(request, "rule_type", domain::parseRuleType, "Unknown rule_type"));
  FRAUDGOV_ASSIGN_OR_RETURN(f.status, namedQueryParam(request, "status", domain::parseVersionStatus, "Unknown status"));
  FRAUDGOV_ASSIGN_OR_RETURN(f.rule_name, singleQueryParam(request, "rule_name"));
  if (f.rule_name && f.rule_name->size() > 1024) {
    return fail(domain::validationError("query.rule_name", "rule_name is too long"));
  }
  return f;
}

Result<store::ApprovalFilter> readApprovalFilter(const http::Request& request) {
  store::ApprovalFilter f;
  FRAUDGOV_ASSIGN_OR_RETURN(f.status, namedQueryParam(request, "status", domain::parseApprovalStatus,
                                                      "status must be PENDING, APPROVED or REJECTED"));
  FRAUDGOV_ASSIGN_OR_RETURN(f.entity_type, singleQueryParam(request, "entity_type"));
  if (f.entity_type && !domain::isApprovalEntityType(*f.entity_type)) {
    return fail(domain::validationError("query.entity_type",
                                        "entity_type must be RULE_VERSION, RULESET_VERSION or FIELD_VERSION"));
  }
  FRAUDGOV_ASSIGN_OR_RETURN(auto entity_id, singleQueryParam(request, "entity_id"));
  if (entity_id) {
    auto normalized = uuid::normalize(*entity_id);
    if (!normalized) return fail(domain::validationError("query.entity_id", "entity_id must be a UUID"));
    f.entity_id = *normalized;
  }
  return f;
}

}  // namespace

void addRuleRoutes(RouteTable& routes, service::RuleService& rules, service::ApprovalService& approvals,
                   service::SimulationService& simulation, observability::GovernanceMetrics& metrics,
                   service::ReadCache& reads) {
  using auth::Permission;
  using http::Method;

  routes.add(Method::kPost, "/api/v1/rules", Access::permission(Permission::kRuleCreate),
             [&rules](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readNewRule(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto created, rules.createRule(actorFor(principal, request), input));
               return jsonResponse(201, ruleJson(created.rule));
             });

  routes.addCachedRead("/api/v1/rules", Access::permission(Permission::kRuleRead),
             [&rules, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto filter, readRuleFilter(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto paging, pageParams(request, 50, 100));
               const auto key = pageKey(service::ReadKey("rules").add(filter.rule_type).add(filter.status).add(
                                            filter.rule_name),
                                        paging);
               return cachedJson(request, reads, key, [&]() -> Result<boost::json::value> {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto page, rules.listRules(filter, paging));
                 return pageJson(page, ruleJson);
               });
             });

  routes.add(Method::kPost, "/api/v1/rules/simulate", Access::permission(Permission::kRuleRead),
             [&simulation](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readSimulation(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto outcome, simulation.simulate(input));
               return jsonResponse(200, simulationJson(input, outcome));
             });

  routes.addCachedRead("/api/v1/rules/{rule_id}", Access::permission(Permission::kRuleRead),
             [&rules, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_id", "Rule"));
               return cachedJson(request, reads, service::ReadKey("rule").add(id), [&]() -> Result<boost::json::value> {
                 FRAUDGOV_ASSIGN_OR_RETURN(auto rule, rules.getRule(id));
                 return ruleJson(rule);
               });
             });

  routes.addCachedRead("/api/v1/rules/{rule_id}/summary", Access::permission(Permission::kRuleRead),
             [&rules, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_id", "Rule"));
               return cachedJson(request, reads, service::ReadKey("rule-summary").add(id),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto summary, rules.summary(id));
                                   return ruleSummaryJson(summary.rule, summary.latest);
                                 });
             });

  routes.add(Method::kPost, "/api/v1/rules/{rule_id}/versions", Access::permission(Permission::kRuleUpdate),
             [&rules](http::Request& request, const auth::Principal& principal) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_id", "Rule"));
               FRAUDGOV_ASSIGN_OR_RETURN(auto body, jsonObjectBody(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readNewVersion(body));
               FRAUDGOV_ASSIGN_OR_RETURN(auto version, rules.createVersion(actorFor(principal, request), id, input));
               return jsonResponse(201, ruleVersionJson(version));
             });

  routes.addCachedRead("/api/v1/rules/{rule_id}/versions", Access::permission(Permission::kRuleRead),
             [&rules, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_id", "Rule"));
               return cachedJson(request, reads, service::ReadKey("rule-versions").add(id),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto listed, rules.listVersions(id));
                                   return jsonArray(listed.second, [&](const auto& v) {
                                     return ruleVersionDetailJson(listed.first, v);
                                   });
                                 });
             });

  routes.addCachedRead("/api/v1/rule-versions/{rule_version_id}", Access::permission(Permission::kRuleRead),
             [&rules, &reads](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_version_id", "RuleVersion"));
               return cachedJson(request, reads, service::ReadKey("rule-version").add(id),
                                 [&]() -> Result<boost::json::value> {
                                   FRAUDGOV_ASSIGN_OR_RETURN(auto found, rules.getVersion(id));
                                   return ruleVersionDetailJson(found.rule, found.version);
                                 });
             });

  routes.add(
      Method::kPost, "/api/v1/rule-versions/{rule_version_id}/submit", Access::permission(Permission::kRuleSubmit),
      approvalRoute(metrics, observability::ApprovalOutcome::kSubmitted,
                    [&rules](http::Request& request, const auth::Principal& principal) -> RouteResult {
                      FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_version_id", "RuleVersion"));
                      FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
                      FRAUDGOV_ASSIGN_OR_RETURN(auto input, readSubmit(body));
                      FRAUDGOV_ASSIGN_OR_RETURN(auto version, rules.submit(actorFor(principal, request), id, input));
                      return jsonResponse(200, ruleVersionJson(version));
                    }));

  // approve and reject differ only in permission and outcome.
  using Decide = Result<domain::RuleVersion> (service::RuleService::*)(const domain::Actor&, std::string_view,
                                                                       const service::DecisionInput&);
  auto decision = [&](std::string_view action, Permission permission, Decide decide,
                      observability::ApprovalOutcome success) {
    routes.add(Method::kPost, "/api/v1/rule-versions/{rule_version_id}/" + std::string(action),
               Access::permission(permission),
               approvalRoute(metrics, success,
                             [&rules, decide](http::Request& request, const auth::Principal& principal) -> RouteResult {
                               FRAUDGOV_ASSIGN_OR_RETURN(auto id, uuidParam(request, "rule_version_id", "RuleVersion"));
                               FRAUDGOV_ASSIGN_OR_RETURN(auto body, optionalJsonObjectBody(request));
                               FRAUDGOV_ASSIGN_OR_RETURN(auto input, readDecision(body));
                               FRAUDGOV_ASSIGN_OR_RETURN(auto version,
                                                         (rules.*decide)(actorFor(principal, request), id, input));
                               return jsonResponse(200, ruleVersionJson(version));
                             }));
  };
  decision("approve", Permission::kRuleApprove, &service::RuleService::approve,
           observability::ApprovalOutcome::kApproved);
  decision("reject", Permission::kRuleReject, &service::RuleService::reject, observability::ApprovalOutcome::kRejected);

  routes.add(Method::kGet, "/api/v1/approvals", Access::authenticated(),
             [&approvals](http::Request& request, const auth::Principal&) -> RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto filter, readApprovalFilter(request));
               FRAUDGOV_ASSIGN_OR_RETURN(auto paging, pageParams(request, 50, 100));
               FRAUDGOV_ASSIGN_OR_RETURN(auto page, approvals.list(filter, paging));
               return jsonResponse(200, pageJson(page, approvalJson));
             });
}

}  // namespace fraudgov::api
