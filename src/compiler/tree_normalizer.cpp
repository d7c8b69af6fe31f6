#include "compiler/tree_normalizer.h"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "compiler/leaf_validator.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

std::string_view kindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kAnd:
      return "and";
    case NodeKind::kOr:
      return "or";
    default:
      return "not";
  }
}

}  // namespace

Result<NormalizedTree> TreeNormalizer::run(const bj::value& root) {
  if (root.is_null() || (root.is_object() && root.get_object().empty())) {
    ctx_.diag.report("Condition tree cannot be empty");
    return fail(ctx_.diag.toError());
  }
  auto normalized = visit(root, 0);
  if (!ctx_.diag.empty() || !normalized) return fail(ctx_.diag.toError());
  std::sort(fields_.begin(), fields_.end());
  fields_.erase(std::unique(fields_.begin(), fields_.end()), fields_.end());
  return NormalizedTree{std::move(*normalized), depth_, nodes_, std::move(fields_)};
}

std::optional<bj::value> TreeNormalizer::visit(const bj::value& node, std::size_t ancestors) {
  Diagnostics& diag = ctx_.diag;
  if (++nodes_ > ctx_.limits.max_nodes) {
    diag.abort(fmt::format("Condition tree exceeds maximum node count of {}", ctx_.limits.max_nodes));
    return std::nullopt;
  }
  if (!node.is_object()) {
    diag.report("Condition node must be a dictionary");
    return std::nullopt;
  }
  const auto shape = classifyNode(node.get_object(), ctx_.limits, diag);
  if (!shape) return std::nullopt;
  if (shape->kind == NodeKind::kLeaf) return visitLeaf(node.get_object());
  const std::size_t level = ancestors + 1;
  if (level > ctx_.limits.max_depth) {
    diag.report(fmt::format("Condition tree exceeds maximum depth of {}", ctx_.limits.max_depth));
    return std::nullopt;
  }
  depth_ = std::max(depth_, level);
  return visitLogical(*shape, level);
}

std::optional<bj::value> TreeNormalizer::visitLeaf(const bj::object& node) {
  auto leaf = normalizeLeaf(node, ctx_);
  if (!leaf) return std::nullopt;
  fields_.push_back(std::move(leaf->field_key));
  return bj::value(std::move(leaf->node));
}

std::optional<bj::value> TreeNormalizer::visitLogical(const NodeShape& shape, std::size_t level) {
  Diagnostics& diag = ctx_.diag;
  bj::array children(ctx_.storage);
  if (shape.child != nullptr) {
    auto at = diag.member(shape.member);
    if (auto child = visit(*shape.child, level)) children.push_back(std::move(*child));
  } else {
    children.reserve(shape.children->size());
    for (std::size_t i = 0; i < shape.children->size() && !diag.stopped(); ++i) {
      auto at = diag.element(shape.member, i);
      if (auto child = visit((*shape.children)[i], level)) children.push_back(std::move(*child));
    }
  }
  // Every child that failed has reported; the result would be discarded, so stop building it.
  if (!diag.empty()) return std::nullopt;
  bj::object out(ctx_.storage);
  if (shape.kind == NodeKind::kNot) {
    out.emplace("not", std::move(children.front()));
  } else {
    out.emplace(kindName(shape.kind), std::move(children));
  }
  return bj::value(std::move(out));
}

}  // namespace fraudgov::compiler
