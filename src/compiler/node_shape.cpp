#include "compiler/node_shape.h"

#include <fmt/format.h>
#include <algorithm>
#include <initializer_list>
#include <string>

#include "common/text.h"
#include "compiler/text_checks.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

using Keys = std::initializer_list<std::string_view>;

std::string quoted(std::string_view s) { return fmt::format("'{}'", s); }

void refuseUnknownKeys(const bj::object& node, Keys allowed, Diagnostics& diag) {
  for (const auto& kv : node) {
    const std::string_view key = kv.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string shown = displayText(key);
    auto at = diag.member(shown);
    diag.report(fmt::format("Unknown key {} in condition node", quoted(shown)));
  }
}

// The children list of an and/or (or a NOT written with "conditions"): a non-empty, bounded list.
const bj::array* childList(const bj::object& node, std::string_view key, const TreeLimits& limits, Diagnostics& diag) {
  auto at = diag.member(key);
  const bj::value* v = node.if_contains(key);
  if (v == nullptr || !v->is_array()) {
    diag.report(fmt::format("{} must be a list", quoted(key)));
    return nullptr;
  }
  const bj::array& list = v->get_array();
  if (list.empty()) {
    diag.report(fmt::format("{} cannot be empty", quoted(key)));
    return nullptr;
  }
  if (list.size() > limits.max_array) {
    diag.report(fmt::format("Array at '{}' exceeds maximum size of {}", diag.path(), limits.max_array));
    return nullptr;
  }
  return &list;
}

std::optional<NodeShape> listNode(const bj::object& node, NodeKind kind, std::string_view key, const TreeLimits& limits,
                                  Diagnostics& diag) {
  const bj::array* list = childList(node, key, limits, diag);
  if (list == nullptr) return std::nullopt;
  return NodeShape{kind, list, nullptr, key};
}

std::optional<NodeShape> singleChildNode(const bj::object& node, std::string_view key, Diagnostics& diag) {
  const bj::value* v = node.if_contains(key);
  if (v == nullptr || !v->is_object()) {
    auto at = diag.member(key);
    diag.report(fmt::format("{} must contain a single condition object", quoted(key)));
    return std::nullopt;
  }
  return NodeShape{NodeKind::kNot, nullptr, v, key};
}

// A NOT in notation B or C: {"<tag>":"NOT","condition":{..}} or {"<tag>":"NOT","conditions":[one]}.
std::optional<NodeShape> negationNode(const bj::object& node, std::string_view tag, const TreeLimits& limits,
                                      Diagnostics& diag) {
  refuseUnknownKeys(node, {tag, "condition", "conditions"}, diag);
  const bool has_single = node.contains("condition");
  if (has_single && node.contains("conditions")) {
    diag.report("NOT node must use either 'condition' or 'conditions', not both");
    return std::nullopt;
  }
  if (has_single) return singleChildNode(node, "condition", diag);
  const bj::array* list = childList(node, "conditions", limits, diag);
  if (list == nullptr) return std::nullopt;
  if (list->size() != 1) {
    auto at = diag.member("conditions");
    diag.report("'conditions' of a NOT node must hold exactly one condition");
    return std::nullopt;
  }
  return NodeShape{NodeKind::kNot, list, nullptr, "conditions"};
}

// The tag value of notations B and C, upper-cased; nullopt (reported) when it is not a string.
std::optional<std::string> tagValue(const bj::object& node, std::string_view tag, Diagnostics& diag) {
  const bj::value& v = node.at(tag);
  if (!v.is_string()) {
    auto at = diag.member(tag);
    diag.report(fmt::format("{} must be a string", quoted(tag)));
    return std::nullopt;
  }
  return text::toUpper(v.get_string());
}

// Notations B ({"type": ..}, where CONDITION marks a leaf) and C ({"logicalOperator": ..}).
std::optional<NodeShape> taggedNode(const bj::object& node, std::string_view tag, const TreeLimits& limits,
                                    Diagnostics& diag) {
  const auto value = tagValue(node, tag, diag);
  if (!value) return std::nullopt;
  if (*value == "AND" || *value == "OR") {
    refuseUnknownKeys(node, {tag, "conditions"}, diag);
    return listNode(node, *value == "AND" ? NodeKind::kAnd : NodeKind::kOr, "conditions", limits, diag);
  }
  if (*value == "NOT") return negationNode(node, tag, limits, diag);
  const bool has_leaves = tag == "type";
  if (has_leaves && *value == "CONDITION") {
    refuseUnknownKeys(node, {"type", "field", "op", "operator", "value"}, diag);
    return NodeShape{NodeKind::kLeaf, nullptr, nullptr, {}};
  }
  auto at = diag.member(tag);
  diag.report(fmt::format("Invalid condition node: unknown {} {} (expected {})", tag,
                          quoted(displayText(node.at(tag).get_string())),
                          has_leaves ? "AND, OR, NOT or CONDITION" : "AND, OR or NOT"));
  return std::nullopt;
}

}  // namespace

std::optional<NodeShape> classifyNode(const bj::object& node, const TreeLimits& limits, Diagnostics& diag) {
  if (node.empty()) {
    diag.report("Condition node cannot be empty");
    return std::nullopt;
  }
  if (node.contains("and")) {
    refuseUnknownKeys(node, {"and"}, diag);
    return listNode(node, NodeKind::kAnd, "and", limits, diag);
  }
  if (node.contains("or")) {
    refuseUnknownKeys(node, {"or"}, diag);
    return listNode(node, NodeKind::kOr, "or", limits, diag);
  }
  if (node.contains("not")) {
    refuseUnknownKeys(node, {"not"}, diag);
    return singleChildNode(node, "not", diag);
  }
  if (node.contains("type")) return taggedNode(node, "type", limits, diag);
  if (node.contains("logicalOperator")) return taggedNode(node, "logicalOperator", limits, diag);
  if (node.contains("field")) {
    refuseUnknownKeys(node, {"field", "op", "operator", "value"}, diag);
    return NodeShape{NodeKind::kLeaf, nullptr, nullptr, {}};
  }
  diag.report("Invalid condition node: must contain 'and', 'or', 'not', 'field', or 'type' (or 'logicalOperator')");
  return std::nullopt;
}

}  // namespace fraudgov::compiler
