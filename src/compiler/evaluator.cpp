#include "compiler/evaluator.h"

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <iterator>

#include "compiler/tree_normalizer.h"

namespace fraudgov::compiler {

namespace bj = boost::json;
using Node = CompiledCondition::Node;

// Flattens a normalized tree. Recursion is bounded: the tree has passed normalizeConditionTree.
class ConditionBuilder {
 public:
  ConditionBuilder(const FieldCatalog& catalog, const RegexCache& regexes) : catalog_(catalog), regexes_(regexes) {}

  Result<CompiledCondition> build(const bj::value& normalized) {
    if (auto ok = add(normalized); !ok) return fail(ok.error());
    return std::move(result_);
  }

 private:
  Status add(const bj::value& node) {
    const auto index = static_cast<std::uint32_t>(result_.nodes_.size());
    result_.nodes_.push_back({});
    const bj::object* object = node.if_object();
    if (object == nullptr || object->size() != (object->contains("field") ? 3u : 1u)) return malformed();
    Status added;
    Node::Kind kind = Node::Kind::kLeaf;
    if (const bj::value* list = object->if_contains("and")) {
      kind = Node::Kind::kAnd;
      added = addChildren(*list, "and");
    } else if (const bj::value* list = object->if_contains("or")) {
      kind = Node::Kind::kOr;
      added = addChildren(*list, "or");
    } else if (const bj::value* child = object->if_contains("not")) {
      kind = Node::Kind::kNot;
      const std::size_t restore = path_.size();
      path_.append(".not");
      added = add(*child);
      path_.resize(restore);
    } else {
      added = addLeaf(*object, index);
    }
    if (!added) return added;
    result_.nodes_[index].kind = kind;
    result_.nodes_[index].end = static_cast<std::uint32_t>(result_.nodes_.size());
    return {};
  }

  Status addChildren(const bj::value& list, std::string_view key) {
    if (!list.is_array() || list.get_array().empty()) return malformed();
    const auto& children = list.get_array();
    for (std::size_t i = 0; i < children.size(); ++i) {
      const std::size_t restore = path_.size();
      fmt::format_to(std::back_inserter(path_), ".{}[{}]", key, i);
      auto added = add(children[i]);
      path_.resize(restore);
      if (!added) return added;
    }
    return {};
  }

  Status addLeaf(const bj::object& node, std::uint32_t index) {
    const bj::value* key = node.if_contains("field");
    if (key == nullptr || !key->is_string()) return malformed();
    const auto spec = catalog_.find(std::string(key->get_string()));
    if (spec == catalog_.end()) return malformed();
    auto leaf = compileLeaf(node, spec->second, path_, regexes_);
    if (!leaf) return fail(leaf.error());
    result_.nodes_[index].leaf = static_cast<std::uint32_t>(result_.leaves_.size());
    result_.leaves_.push_back(std::move(*leaf));
    return {};
  }

  Status malformed() const {
    return fail(Error::internal(fmt::format("Condition node at {} was not validated before compiling", path_)));
  }

  const FieldCatalog& catalog_;
  const RegexCache& regexes_;
  CompiledCondition result_;
  std::string path_ = "$";
};

namespace {

// visitLeaf(leaf index) -> bool. Recursion depth is the tree's logical depth (bounded by TreeLimits).
template <class VisitLeaf>
bool evaluateNode(const std::vector<Node>& nodes, std::uint32_t i, VisitLeaf& visitLeaf) {
  const Node& node = nodes[i];
  switch (node.kind) {
    case Node::Kind::kLeaf:
      return visitLeaf(node.leaf);
    case Node::Kind::kNot:
      return !evaluateNode(nodes, i + 1, visitLeaf);
    case Node::Kind::kAnd:
      for (std::uint32_t c = i + 1; c < node.end; c = nodes[c].end) {
        if (!evaluateNode(nodes, c, visitLeaf)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (std::uint32_t c = i + 1; c < node.end; c = nodes[c].end) {
        if (evaluateNode(nodes, c, visitLeaf)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

Result<CompiledCondition> compileCondition(const bj::value& tree, const FieldCatalog& catalog,
                                           const TreeLimits& limits) {
  RegexCache regexes;
  auto normalized = TreeNormalizer(catalog, limits, &regexes).run(tree);
  if (!normalized) return fail(std::move(normalized.error()));
  return ConditionBuilder(catalog, regexes).build(normalized->tree);
}

Result<CompiledCondition> compileCondition(const NormalizedTree& tree, const FieldCatalog& catalog,
                                           const TreeLimits& limits) {
  return compileCondition(tree.tree, catalog, limits);
}

bool matches(const CompiledCondition& condition, const bj::object& transaction) {
  if (condition.nodes().empty()) return false;
  const auto& leaves = condition.leaves();
  auto visit = [&](std::uint32_t leaf) { return evaluateLeaf(leaves[leaf], transaction) == LeafOutcome::kMatched; };
  return evaluateNode(condition.nodes(), 0, visit);
}

Explanation explain(const CompiledCondition& condition, const bj::object& transaction) {
  Explanation out;
  const auto& leaves = condition.leaves();
  out.leaves.reserve(leaves.size());
  for (const auto& leaf : leaves) out.leaves.push_back({leaf.path, leaf.field, leaf.op, LeafOutcome::kNotEvaluated});
  if (condition.nodes().empty()) return out;
  auto visit = [&](std::uint32_t leaf) {
    out.leaves[leaf].outcome = evaluateLeaf(leaves[leaf], transaction);
    return out.leaves[leaf].outcome == LeafOutcome::kMatched;
  };
  out.matched = evaluateNode(condition.nodes(), 0, visit);
  return out;
}

}  // namespace fraudgov::compiler
