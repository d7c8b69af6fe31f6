#include "http/problem.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "http/security_headers.h"

namespace fraudgov::http {

TEST(Problem, KeepsPredecessorMembersAndRfc9457Members) {
  auto r = problemResponse(Error::notFound("Rule not found", {{"rule_id", "x"}}), "req-1");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  auto body = json::parseStrict(r.body);
  ASSERT_TRUE(body);
  const auto& o = body->as_object();
  EXPECT_EQ(o.at("type").as_string(), "https://fraudgov.dev/problems/not-found");
  EXPECT_EQ(o.at("title").as_string(), "Not Found");
  EXPECT_EQ(o.at("status").as_int64(), 404);
  EXPECT_EQ(o.at("detail").as_string(), "Rule not found");
  EXPECT_EQ(o.at("error").as_string(), "NotFoundError");
  EXPECT_EQ(o.at("message").as_string(), "Rule not found");
  EXPECT_EQ(o.at("details").at("rule_id").as_string(), "x");
  EXPECT_EQ(o.at("request_id").as_string(), "req-1");
}

TEST(Problem, EveryCodeHasItsStatus) {
  const std::vector<std::pair<ErrorCode, unsigned>> table = {
      {ErrorCode::kMalformed, 400},          {ErrorCode::kInvalidArgument, 422},  {ErrorCode::kUnsupportedFormat, 415},
      {ErrorCode::kUnauthenticated, 401},    {ErrorCode::kPermissionDenied, 403}, {ErrorCode::kNotFound, 404},
      {ErrorCode::kAlreadyExists, 409},      {ErrorCode::kFailedPrecondition, 409},
      {ErrorCode::kSeparationOfDuties, 409}, {ErrorCode::kAborted, 409},          {ErrorCode::kCompilationFailed, 422},
      {ErrorCode::kResourceExhausted, 429},  {ErrorCode::kUnavailable, 503},      {ErrorCode::kDeadlineExceeded, 503},
      {ErrorCode::kStorageUnavailable, 503},
      {ErrorCode::kUnimplemented, 501},      {ErrorCode::kDataLoss, 500},         {ErrorCode::kInternal, 500}};
  for (const auto& [code, status] : table) EXPECT_EQ(statusFor(code), status);
  EXPECT_EQ(errorNameFor(ErrorCode::kSeparationOfDuties), "MakerCheckerViolation");
  EXPECT_EQ(errorNameFor(ErrorCode::kAborted), "ConcurrentModificationError");
  EXPECT_EQ(errorNameFor(ErrorCode::kAlreadyExists), "ConflictError");
}

TEST(Problem, EveryRefusalHasItsStatus) {
  const std::vector<std::pair<RefusalKind, unsigned>> table = {
      {RefusalKind::kMalformed, 400},    {RefusalKind::kMethodNotAllowed, 405}, {RefusalKind::kRequestTimeout, 408},
      {RefusalKind::kBodyTooLarge, 413}, {RefusalKind::kHeaderTooLarge, 431},   {RefusalKind::kNotImplemented, 501}};
  for (const auto& [kind, status] : table) EXPECT_EQ(statusFor(kind), status);
}

TEST(Problem, InternalDetailIsNeverRendered) {
  Error e = Error::internal("SELECT * FROM secrets WHERE x");
  e.details = {{"sql", "boom"}};
  for (const Error& error :
       {e, Error::dataLoss("table=rules id=1 column=rule_type"),
        Error::conflict("The change conflicts with existing data").withInternalDetail("unique:rule_fields_pkey")}) {
    auto r = problemResponse(error, "req");
    for (const char* secret : {"SELECT", "boom", "rule_type", "rule_fields_pkey", "unique:"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << r.body;
    }
  }
  EXPECT_NE(problemResponse(e, "req").body.find("An unexpected error occurred"), std::string::npos);
}

TEST(Problem, HeadersThatBelongToTheError) {
  EXPECT_EQ(problemResponse(Error::unavailable("down", 7), "r").headers.get("Retry-After"), "7");
  EXPECT_EQ(problemResponse(Error::unauthenticated(), "r").headers.get("WWW-Authenticate"),
            "Bearer realm=\"fraudgov\"");
  EXPECT_EQ(problemResponse(Refusal::methodNotAllowed("GET"), "r").headers.get("Allow"), "GET");
}

TEST(SecurityHeaders, HstsIsConfigurable) {
  EXPECT_EQ(hstsValue({}), "max-age=63072000; includeSubDomains");
  EXPECT_EQ(hstsValue({31536000, false, true}), "max-age=31536000; preload");
  Response r;
  r.headers.set("Server", "Beast");
  applySecurityHeaders(r, {});
  EXPECT_FALSE(r.headers.has("Server"));
  EXPECT_EQ(r.headers.get("X-XSS-Protection"), "0");
}

}  // namespace fraudgov::http
