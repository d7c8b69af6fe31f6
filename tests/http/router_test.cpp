#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

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

TEST(Router, HeadFallsBackToGetOnlyWhenNoHeadRouteExists) {
  Router router;
  router.add(Method::kGet, "/a", "public", named("get-a"));
  router.add(Method::kGet, "/b", "public", named("get-b"));
  router.add(Method::kHead, "/b", "public", named("head-b"));
  router.add(Method::kPost, "/c", "public", named("post-c"));
  auto a = router.match(Method::kHead, splitPath("/a"));
  ASSERT_EQ(a.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(run(a), "get-a");
  EXPECT_EQ(a.path_template, "/a");
  EXPECT_EQ(run(router.match(Method::kHead, splitPath("/b"))), "get-b")
      << "HEAD is always served by the GET route, so the two cannot disagree";
  auto c = router.match(Method::kHead, splitPath("/c"));
  EXPECT_EQ(c.kind, RouteMatch::Kind::kMethodNotAllowed) << "no GET, so no HEAD either";
  EXPECT_EQ(c.allow, "POST");
}

TEST(Router, MethodNotAllowedListsEveryMethodOnceInRegistrationOrder) {
  Router router;
  router.add(Method::kPost, "/r/{id}", "public", named("post"));
  router.add(Method::kDelete, "/r/{id}", "public", named("delete"));
  router.add(Method::kPatch, "/r/{id}", "public", named("patch"));
  router.add(Method::kPut, "/r/special", "public", named("put-special"));
  auto m = router.match(Method::kGet, splitPath("/r/42"));
  EXPECT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST, DELETE, PATCH") << "no HEAD without GET";
  EXPECT_EQ(m.path_template, "/r/{id}");
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(m.route, nullptr);
  auto special = router.match(Method::kGet, splitPath("/r/special"));
  EXPECT_EQ(special.allow, "POST, DELETE, PATCH, PUT") << "every template that matches the path counts";
  auto options = router.match(Method::kOptions, splitPath("/r/1"));
  EXPECT_EQ(options.kind, RouteMatch::Kind::kMethodNotAllowed);
}

TEST(Router, SplitPathToleratesOneTrailingSlashOnly) {
  EXPECT_EQ(splitPath("/a/b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(splitPath("/a/b//"), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(splitPath("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(splitPath("/a//b"), (std::vector<std::string>{"a", "", "b"}));
  Router router;
  router.add(Method::kGet, "/a/{id}", "public", named("x"));
  EXPECT_EQ(router.match(Method::kGet, splitPath("/a/1/")).kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(router.match(Method::kGet, std::vector<std::string>{"a", "1", ""}).kind, RouteMatch::Kind::kNotFound);
}

TEST(Router, DuplicatesAreDetectedPerMethodAndShape) {
  Router router;
  router.add(Method::kGet, "/a/{id}/b", "public", named("x"));
  EXPECT_THROW(router.add(Method::kGet, "/a/{id}/b", "public", named("same")), std::logic_error);
  EXPECT_THROW(router.add(Method::kGet, "/a/{other}/b", "public", named("renamed")), std::logic_error);
  EXPECT_NO_THROW(router.add(Method::kPost, "/a/{id}/b", "public", named("other-method")));
  EXPECT_NO_THROW(router.add(Method::kGet, "/a/literal/b", "public", named("literal")));
  EXPECT_NO_THROW(router.add(Method::kGet, "/a/{id}/c", "public", named("other-tail")));
  EXPECT_NO_THROW(router.add(Method::kGet, "/a/{id}", "public", named("shorter")));
  EXPECT_EQ(router.routes().size(), 5u) << "a refused route is not registered";
}

TEST(Router, EveryRouteMustDeclareItsAccess) {
  Router router;
  EXPECT_THROW(router.add(Method::kGet, "/open", "", named("x")), std::logic_error);
  EXPECT_TRUE(router.routes().empty());
  EXPECT_EQ(router.match(Method::kGet, splitPath("/open")).kind, RouteMatch::Kind::kNotFound);
  router.add(Method::kGet, "/open", "permission:rule:read", named("x"));
  ASSERT_EQ(router.routes().size(), 1u);
  EXPECT_EQ(router.routes()[0].access, "permission:rule:read");
}

}  // namespace fraudgov::http
