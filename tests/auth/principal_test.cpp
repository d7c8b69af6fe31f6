#include "auth/principal.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace fraudgov::auth {
namespace {

const std::vector<std::string> kAudiences = {"https://api", "https://portal"};

Principal from(std::string_view json) { return principalFromClaims(boost::json::parse(json).as_object(), kAudiences); }

TEST(Principal, CopiesIdentityClaims) {
  const auto p = from(R"({"iss":"https://idp/","sub":"auth0|1","email":"a@b.c","name":"Ann"})");
  EXPECT_EQ(p.issuer, "https://idp/");
  EXPECT_EQ(p.subject, "auth0|1");
  EXPECT_EQ(p.email, "a@b.c");
  EXPECT_EQ(p.name, "Ann");
  EXPECT_FALSE(p.machine);
  EXPECT_EQ(p.label(), "auth0|1");
}

TEST(Principal, IgnoresIdentityClaimsOfTheWrongType) {
  const auto p = from(R"({"sub":"s","email":42,"name":["x"]})");
  EXPECT_EQ(p.email, "");
  EXPECT_EQ(p.name, "");
}

TEST(Principal, RolesComeFromTheFirstAudienceClaimPresent) {
  EXPECT_EQ(from(R"({"https://api/roles":["RULE_MAKER"],"https://portal/roles":["RULE_VIEWER"],"roles":["X"]})").roles,
            std::vector<std::string>{"RULE_MAKER"});
  EXPECT_EQ(from(R"({"https://portal/roles":["RULE_CHECKER"],"roles":["X"]})").roles,
            std::vector<std::string>{"RULE_CHECKER"});
}

TEST(Principal, PresentButNonArrayAudienceRolesMeansNoRoles) {
  // A malformed first claim must not fall through to a later, more generous one.
  const auto p = from(R"({"https://api/roles":"PLATFORM_ADMIN","https://portal/roles":["PLATFORM_ADMIN"]})");
  EXPECT_TRUE(p.roles.empty());
}

TEST(Principal, FallsBackToTopLevelRoles) {
  EXPECT_EQ(from(R"({"roles":["RULE_VIEWER"]})").roles, std::vector<std::string>{"RULE_VIEWER"});
  EXPECT_TRUE(from(R"({"roles":"RULE_VIEWER"})").roles.empty());
  EXPECT_TRUE(from(R"({})").roles.empty());
}

TEST(Principal, PermissionsComeFromThePermissionsClaimOnlySortedAndUnique) {
  const auto p = from(R"({"permissions":["rule:read","rule:create","rule:read",7],)"
                      R"("scope":"openid rule:create  rule:approve"})");
  EXPECT_EQ(p.permissions, (std::vector<std::string>{"rule:create", "rule:read"}));
  EXPECT_FALSE(p.hasPermission(auth::Permission::kRuleApprove));
  EXPECT_TRUE(from(R"({"permissions":"rule:read"})").permissions.empty());
  EXPECT_TRUE(from(R"({"scope":"rule:approve"})").permissions.empty());
}

TEST(Principal, ScopeIsMergedOnlyWhenOptedIn) {
  const auto claims = boost::json::parse(R"({"permissions":["rule:read","rule:create","rule:read",7],)"
                                         R"("scope":"openid rule:create  rule:approve"})")
                          .as_object();
  const auto p = principalFromClaims(claims, kAudiences, ScopeClaim::kGrantsPermissions);
  EXPECT_EQ(p.permissions, (std::vector<std::string>{"openid", "rule:approve", "rule:create", "rule:read"}));
}

TEST(Principal, PermissionChecks) {
  const auto maker = from(R"({"permissions":["rule:create"],"https://api/roles":["RULE_MAKER"]})");
  EXPECT_TRUE(maker.hasPermission(auth::Permission::kRuleCreate));
  EXPECT_FALSE(maker.hasPermission(auth::Permission::kRuleApprove));
  EXPECT_FALSE(maker.isPlatformAdmin());
  const auto admin = from(R"({"https://api/roles":["PLATFORM_ADMIN"]})");
  EXPECT_TRUE(admin.isPlatformAdmin());
  EXPECT_TRUE(admin.hasPermission(auth::Permission::kRuleApprove));
  EXPECT_TRUE(admin.hasPermission(auth::Permission::kRulesetCompile));
  // A permission literally named PLATFORM_ADMIN is not the role.
  EXPECT_FALSE(from(R"({"permissions":["PLATFORM_ADMIN"]})").hasPermission(auth::Permission::kRuleApprove));
}

TEST(Principal, MachineTokensAreClientCredentials) {
  EXPECT_TRUE(from(R"({"gty":"client-credentials"})").machine);
  EXPECT_FALSE(from(R"({"gty":"password"})").machine);
}

TEST(Principal, IdentityIsIssuerAndSubject) {
  const auto a = from(R"({"iss":"https://idp/","sub":"u1","email":"x@y"})");
  const auto b = from(R"({"iss":"https://idp/","sub":"u1","email":"other@y"})");
  const auto c = from(R"({"iss":"https://other-idp/","sub":"u1","email":"x@y"})");
  const auto d = from(R"({"iss":"https://idp/","sub":"u2","email":"x@y"})");
  EXPECT_TRUE(a.sameIdentity(b));
  EXPECT_FALSE(a.sameIdentity(c));
  EXPECT_FALSE(a.sameIdentity(d));
}

}  // namespace
}  // namespace fraudgov::auth
