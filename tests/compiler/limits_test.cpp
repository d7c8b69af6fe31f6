// Size limits: depth, node count, and hostile input that must be refused without exhausting the stack.

#include <gtest/gtest.h>
#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <string>

#include "compiler/condition_tree.h"
#include "compiler/standard_catalog.h"
#include "compiler/tree_test_util.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using fraudgov::testing::hasFinding;
using fraudgov::testing::standardCatalog;

bj::object leaf() { return bj::object{{"field", "amount"}, {"op", "GT"}, {"value", 1}}; }

// Wraps `inner` in one logical node; `level` varies the operator so every kind is exercised.
using Wrapper = std::function<bj::value(bj::value inner, int level)>;

bj::value wrapA(bj::value inner, int level) {
  switch (level % 3) {
    case 0:
      return bj::object{{"not", std::move(inner)}};
    case 1:
      return bj::object{{"and", bj::array{std::move(inner)}}};
    default:
      return bj::object{{"or", bj::array{std::move(inner)}}};
  }
}

bj::value wrapB(bj::value inner, int level) {
  switch (level % 3) {
    case 0:
      return bj::object{{"type", "NOT"}, {"condition", std::move(inner)}};
    case 1:
      return bj::object{{"type", "AND"}, {"conditions", bj::array{std::move(inner)}}};
    default:
      return bj::object{{"type", "or"}, {"conditions", bj::array{std::move(inner)}}};
  }
}

bj::value wrapC(bj::value inner, int level) {
  switch (level % 3) {
    case 0:
      return bj::object{{"logicalOperator", "NOT"}, {"conditions", bj::array{std::move(inner)}}};
    case 1:
      return bj::object{{"logicalOperator", "AND"}, {"conditions", bj::array{std::move(inner)}}};
    default:
      return bj::object{{"logicalOperator", "OR"}, {"conditions", bj::array{std::move(inner)}}};
  }
}

bj::value chain(int logical_nodes, const Wrapper& wrap) {
  bj::value tree = leaf();
  for (int i = 0; i < logical_nodes; ++i) tree = wrap(std::move(tree), i);
  return tree;
}

struct Notation {
  const char* name;
  Wrapper wrap;
};

class DepthLimit : public ::testing::TestWithParam<Notation> {};

TEST_P(DepthLimit, TenNestedLogicalNodesAreAccepted) {
  const auto result = normalizeConditionTree(chain(10, GetParam().wrap), standardCatalog());
  ASSERT_TRUE(result) << fraudgov::testing::findings(result.error());
  EXPECT_EQ(result->depth, 10u);
  EXPECT_EQ(result->node_count, 11u);
}

TEST_P(DepthLimit, ElevenNestedLogicalNodesAreRefused) {
  const auto result = normalizeConditionTree(chain(11, GetParam().wrap), standardCatalog());
  ASSERT_FALSE(result);
  const auto& errors = result.error().details.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(std::string_view(errors[0].at("message").as_string()).find("exceeds maximum depth of 10"),
            std::string_view::npos);
}

INSTANTIATE_TEST_SUITE_P(Compiler, DepthLimit,
                         ::testing::Values(Notation{"A", wrapA}, Notation{"B", wrapB}, Notation{"C", wrapC}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Limits, DepthDefinition) {
  EXPECT_EQ(normalizeConditionTree(leaf(), standardCatalog())->depth, 0u);
  EXPECT_EQ(normalizeConditionTree(chain(1, wrapA), standardCatalog())->depth, 1u);
  // The deepest branch counts, not the first one.
  const bj::value mixed = bj::object{{"or", bj::array{leaf(), chain(3, wrapB)}}};
  EXPECT_EQ(normalizeConditionTree(mixed, standardCatalog())->depth, 4u);
}

TEST(Limits, DepthErrorPointsAtTheEleventhNode) {
  // chain() applies "not" at even levels: the outermost (11th) wrapper is level 10, a "not".
  const auto result = normalizeConditionTree(chain(11,
                                                   [](bj::value v, int) {
                                                     return bj::value(bj::object{{"not", std::move(v)}});
                                                   }),
                                             standardCatalog());
  ASSERT_FALSE(result);
  std::string path = "$";
  for (int i = 0; i < 10; ++i) path += ".not";
  EXPECT_TRUE(hasFinding(result.error(), path, "exceeds maximum depth of 10"));
}

TEST(Limits, CustomDepth) {
  TreeLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(normalizeConditionTree(chain(2, wrapA), standardCatalog(), limits));
  EXPECT_FALSE(normalizeConditionTree(chain(3, wrapA), standardCatalog(), limits));
}

// {"and":[ `groups` x {"or":[ `leaves` x leaf ]} ]}: 1 + groups * (1 + leaves) nodes.
bj::value grid(int groups, int leaves) {
  bj::array ors;
  for (int g = 0; g < groups; ++g) {
    bj::array children;
    for (int l = 0; l < leaves; ++l) children.push_back(leaf());
    ors.push_back(bj::object{{"or", std::move(children)}});
  }
  return bj::object{{"and", std::move(ors)}};
}

TEST(Limits, ThousandNodesAreAccepted) {
  const auto result = normalizeConditionTree(grid(27, 36), standardCatalog());
  ASSERT_TRUE(result) << fraudgov::testing::findings(result.error());
  EXPECT_EQ(result->node_count, 1000u);
  EXPECT_EQ(result->depth, 2u);
}

TEST(Limits, ThousandAndOneNodesAreRefused) {
  const auto result = normalizeConditionTree(grid(10, 99), standardCatalog());
  ASSERT_FALSE(result);
  // Counting is in walk order: the 1001st node is the last leaf.
  EXPECT_TRUE(hasFinding(result.error(), "$.and[9].or[98]", "exceeds maximum node count of 1000"));
}

TEST(Limits, WideHostileTreeIsCutOffEarly) {
  // 100 x 100 leaves: the walk stops at node 1001 instead of validating 10,101 nodes.
  const auto result = normalizeConditionTree(grid(100, 100), standardCatalog());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().details.at("errors").as_array().size(), 1u);
}

TEST(Limits, HundredThousandLevelsAreRefusedWithoutRecursing) {
  // A monotonic resource makes the tree's own destruction non-recursive too, so the test itself
  // cannot overflow the stack; the validator must not either.
  bj::monotonic_resource memory;
  bj::value tree(leaf(), &memory);
  for (int i = 0; i < 100'000; ++i) {
    bj::object wrapper(&memory);
    if (i % 2 == 0) {
      wrapper.emplace("not", std::move(tree));
    } else {
      bj::array list(&memory);
      list.push_back(std::move(tree));
      wrapper.emplace("and", std::move(list));
    }
    tree = std::move(wrapper);
  }
  const auto result = normalizeConditionTree(tree, standardCatalog());
  ASSERT_FALSE(result);
  EXPECT_TRUE(hasFinding(result.error(), result.error().details.at("errors").as_array()[0].at("path").as_string(),
                         "exceeds maximum depth of 10"));
}

}  // namespace
}  // namespace fraudgov::compiler
