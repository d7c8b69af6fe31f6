#include "http/router.h"

#include <gtest/gtest.h>

namespace fraudgov::http {

namespace {
Handler named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}
std::string run(const RouteMatch& m) {
  Request r;
  return m.route->handler(r).body;
}
}  // namespace

TEST(Router, MatchesTemplatesAndExtractsParameters) {
  Router router;
  router.add(Method::kGet, "/api/v1/rule-fields/{field_key}", "public", named("field"));
  router.add(Method::kGet, "/api/v1/rule-fields/{field_key}/metadata/{meta_key}", "public", named("meta"));
  auto m = router.match(Method::kGet, splitPath("/api/v1/rule-fields/amount/metadata/window"));
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.path_template, "/api/v1/rule-fields/{field_key}/metadata/{meta_key}");
  EXPECT_EQ(m.params, (Params{{"field_key", "amount"}, {"meta_key", "window"}}));
  EXPECT_EQ(run(m), "meta");
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  Router router;
  router.add(Method::kPost, "/api/v1/rules/{rule_id}/versions", "public", named("versions"));
  router.add(Method::kPost, "/api/v1/rules/simulate", "public", named("simulate"));
  router.add(Method::kGet, "/api/v1/rules/{rule_id}", "public", named("rule"));
  EXPECT_EQ(run(router.match(Method::kPost, splitPath("/api/v1/rules/simulate"))), "simulate");
  EXPECT_EQ(run(router.match(Method::kGet, splitPath("/api/v1/rules/abc"))), "rule");
}

TEST(Router, UnknownPathsAndMethods) {
  Router router;
  router.add(Method::kGet, "/api/v1/rule-fields", "public", named("list"));
  router.add(Method::kPost, "/api/v1/rule-fields", "public", named("create"));
  EXPECT_EQ(router.match(Method::kGet, splitPath("/api/v1/nothing")).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(router.match(Method::kGet, splitPath("/api/v1/rule-fields/x/y")).kind, RouteMatch::Kind::kNotFound);
  auto m = router.match(Method::kDelete, splitPath("/api/v1/rule-fields"));
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST, HEAD");
  EXPECT_EQ(m.path_template, "/api/v1/rule-fields");
  EXPECT_EQ(run(router.match(Method::kHead, splitPath("/api/v1/rule-fields"))), "list") << "HEAD serves GET routes";
  EXPECT_EQ(router.match(Method::kGet, std::vector<std::string>{"api", "v1", "rule-fields", ""}).kind,
            RouteMatch::Kind::kNotFound)
      << "a trailing slash is another path";
}

TEST(Router, EmptyParameterDoesNotMatch) {
  Router router;
  router.add(Method::kGet, "/a/{id}/b", "public", named("x"));
  EXPECT_EQ(router.match(Method::kGet, std::vector<std::string>{"a", "", "b"}).kind, RouteMatch::Kind::kNotFound);
}

TEST(Router, DuplicateRoutesAreAProgrammingError) {
  Router router;
  router.add(Method::kGet, "/a/{id}", "public", named("x"));
  EXPECT_THROW(router.add(Method::kGet, "/a/{other}", "public", named("y")), std::logic_error);
}

}  // namespace fraudgov::http
