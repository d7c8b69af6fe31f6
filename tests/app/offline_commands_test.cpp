// The offline commands (compile, verify-artifact, evaluate) as an operator runs them: the built
// fraudgov binary in a child process, judged by its exit code, stdout and stderr only.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/time.h"
#include "compiler/ruleset_export.h"
#include "compiler/ruleset_fixtures.h"
#include "compiler/standard_catalog.h"
#include "publish/key_ring.h"
#include "publish/manifest.h"
#include "publish/signed_document.h"
#include "publish/signing_key.h"
#include "support/child_process.h"
#include "support/test_env.h"

namespace fraudgov::app {
namespace {

namespace bj = boost::json;
using domain::RuleAction;
using fraudgov::testing::member;

struct CommandRun {
  int exit_code = -1;
  std::string out, err;
};

CommandRun runFraudgov(const std::vector<std::string>& args) {
  fraudgov::testing::ChildProcess child(fraudgov::testing::binaryPath("fraudgov"), args, {});
  CommandRun run;
  run.exit_code = child.wait(std::chrono::seconds(30)).value_or(-1);
  run.out = child.stdoutText();
  run.err = child.stderrText();
  return run;
}

void writeFile(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// FIRST_MATCH (AUTH): a big amount is declined before the euro rule is even tried.
compiler::RulesetSource authRuleset() {
  return fraudgov::testing::ruleset(
      domain::RuleType::kAuth,
      {member("r-euro", "rv-euro", 500, R"({"field":"currency","op":"IN","value":["EUR"]})", RuleAction::kApprove),
       member("r-big", "rv-big", 900, R"({"field":"amount","op":"GT","value":5000})", RuleAction::kDecline)},
      "rs-cli", 4);
}

publish::VersionManifest manifestFor(const std::string& checksum) {
  publish::VersionManifest m;
  m.artifact_uri = "file:///artifacts/rulesets/prod/EU/DE/CARD_AUTH/v4/ruleset.json";
  m.checksum = checksum;
  m.environment = "prod";
  m.region = "EU";
  m.country = "DE";
  m.ruleset_key = "CARD_AUTH";
  m.rule_type = "AUTH";
  m.ruleset_id = "rs-cli";
  m.ruleset_version_id = "rsv-cli-4";
  m.ruleset_version = 4;
  m.compiler_version = std::string(compiler::kCompilerVersion);
  m.maker = {"https://idp.example.com/", "maker"};
  m.checker = {"https://idp.example.com/", "checker"};
  m.approved_at = nowUtc();
  return m;
}

publish::ActivationRecord recordFor(const publish::VersionManifest& version, std::int64_t sequence) {
  publish::ActivationRecord r;
  r.version = version;
  r.published_at = version.approved_at;
  r.activation_sequence = sequence;
  r.activated_at = nowUtc();
  r.activated_by = {"https://idp.example.com/", "admin"};
  r.previous_sequence = sequence - 1;
  return r;
}

class OfflineCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fraudgov::testing::makeTempDir("cli");
    export_document_ = compiler::rulesetExport(authRuleset(), fraudgov::testing::standardCatalog());
    writeFile(path("export.json"), json::serialize(export_document_));
    auto compiled = compiler::compileExport(*json::parseStrict(json::serialize(export_document_)));
    ASSERT_TRUE(compiled) << compiled.error().message;
    compiled_ = *compiled;
    writeFile(path("ruleset.json"), compiled_.bytes);
    const auto version = manifestFor(compiled_.checksum);
    writeFile(path("manifest.json"), publish::signDocument(publish::toJson(version), key_));
    writeFile(path("pointer.json"), publish::signDocument(publish::toJson(recordFor(version, 12)), key_));
    writeFile(path("key.pem"), key_.publicPem());
    writeFile(path("keys.json"), json::serialize(publish::ArtifactKeyRing(key_, nowUtc()).keySetJson()));
  }

  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  std::vector<std::string> verifyArgs(const std::string& command, const std::string& manifest = "manifest.json") {
    return {command, "--manifest", path(manifest), "--artifact", path("ruleset.json"), "--public-key", path("key.pem")};
  }

  std::string dir_;
  bj::object export_document_;
  compiler::CompiledRuleset compiled_;
  publish::ArtifactSigningKey key_ = *publish::ArtifactSigningKey::generate();
};

std::vector<std::string> plus(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// A refusal: exit 1 and exactly one line on stderr, naming the reason code first.
void expectRefused(const CommandRun& run, const std::string& reason) {
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err.rfind("FAIL " + reason + ": ", 0), 0u) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(OfflineCommands, CompileWritesTheSameBytesAsTheInProcessCompile) {
  const CommandRun first = runFraudgov({"compile", path("export.json")});
  const CommandRun second = runFraudgov({"compile", path("export.json")});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.out, second.out);
  EXPECT_EQ(first.out, compiled_.bytes);  // no trailing newline
  ASSERT_EQ(runFraudgov({"compile", path("export.json"), "--output", path("out.json")}).exit_code, 0);
  EXPECT_EQ(readFile(path("out.json")), compiled_.bytes);
  const CommandRun checksum = runFraudgov({"compile", path("export.json"), "--checksum-only"});
  EXPECT_EQ(checksum.exit_code, 0);
  EXPECT_EQ(checksum.out, compiled_.checksum + "\n");
}

TEST_F(OfflineCommands, CompileReportsInvalidExportsWithTheirPaths) {
  export_document_["rules"].as_array()[0].as_object()["action"] = "LAUNCH";
  writeFile(path("bad.json"), json::serialize(export_document_));
  const CommandRun run = runFraudgov({"compile", path("bad.json")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("fraudgov compile: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find("$.rules[0].action: "), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(runFraudgov({"compile", path("missing.json")}).exit_code, 2);
  EXPECT_EQ(runFraudgov({"compile"}).exit_code, 2);
}

TEST_F(OfflineCommands, VerifyArtifactAcceptsASignedManifestAndActivationRecord) {
  const CommandRun manifest = runFraudgov(verifyArgs("verify-artifact"));
  EXPECT_EQ(manifest.exit_code, 0) << manifest.err;
  EXPECT_EQ(manifest.out, "OK version_manifest prod/EU/DE/CARD_AUTH v4 " + compiled_.checksum + "\n");
  const CommandRun record =
      runFraudgov({"verify-artifact", "--manifest", path("pointer.json"), "--artifact", path("ruleset.json"),
                   "--key-set", path("keys.json"), "--environment", "prod", "--min-sequence", "12"});
  EXPECT_EQ(record.exit_code, 0) << record.err;
  EXPECT_EQ(record.out, "OK activation_record prod/EU/DE/CARD_AUTH v4 sequence 12 " + compiled_.checksum + "\n");
}

TEST_F(OfflineCommands, VerifyArtifactNamesEachRefusal) {
  std::string flipped = compiled_.bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  writeFile(path("ruleset.json"), flipped);
  expectRefused(runFraudgov(verifyArgs("verify-artifact")), "checksum_mismatch");
  writeFile(path("ruleset.json"), compiled_.bytes);

  expectRefused(runFraudgov(plus(verifyArgs("verify-artifact"), {"--environment", "staging"})), "environment_mismatch");
  expectRefused(runFraudgov(plus(verifyArgs("verify-artifact", "pointer.json"), {"--min-sequence", "13"})),
                "stale_sequence");
  writeFile(path("other.pem"), publish::ArtifactSigningKey::generate()->publicPem());
  expectRefused(runFraudgov({"verify-artifact", "--manifest", path("manifest.json"), "--artifact", path("ruleset.json"),
                             "--public-key", path("other.pem")}),
                "unknown_key");
}

TEST_F(OfflineCommands, VerifyArtifactUsageErrorsExitTwo) {
  EXPECT_EQ(runFraudgov({"verify-artifact", "--manifest", path("manifest.json"), "--artifact", path("ruleset.json")})
                .exit_code,
            2);
  EXPECT_EQ(runFraudgov(plus(verifyArgs("verify-artifact"), {"--key-set", path("keys.json")})).exit_code, 2);
  EXPECT_EQ(runFraudgov(verifyArgs("verify-artifact", "missing.json")).exit_code, 2);
}

TEST_F(OfflineCommands, EvaluatePrintsOneDecisionLinePerTransaction) {
  writeFile(path("tx.jsonl"),
            "{\"transaction_id\":\"t1\",\"amount\":9000,\"currency\":\"EUR\"}\n"
            "{\"transaction_id\":\"t2\",\"amount\":10,\"currency\":\"EUR\"}\n"
            "\n"
            "{\"transaction_id\":7,\"amount\":10,\"currency\":\"USD\"}\n");
  const CommandRun run =
      runFraudgov(plus(verifyArgs("evaluate"), {"--transactions", path("tx.jsonl"), "--environment", "prod"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(
      run.out,
      R"({"transaction_id":"t1","matched":[{"rule_id":"r-big","rule_version_id":"rv-big","action":"DECLINE","priority":900}],"decision":"DECLINE"})"
      "\n"
      R"({"transaction_id":"t2","matched":[{"rule_id":"r-euro","rule_version_id":"rv-euro","action":"APPROVE","priority":500}],"decision":"APPROVE"})"
      "\n"
      R"({"transaction_id":"3","matched":[],"decision":null})"
      "\n");
}

TEST_F(OfflineCommands, EvaluateTakesAFieldCatalogFile) {
  writeFile(path("fields.json"), json::serialize(export_document_.at("fields")));
  writeFile(path("tx.jsonl"), "{\"transaction_id\":\"t1\",\"amount\":9000}\n");
  const CommandRun run =
      runFraudgov(plus(verifyArgs("evaluate"), {"--transactions", path("tx.jsonl"), "--fields", path("fields.json")}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(R"("decision":"DECLINE")"), std::string::npos) << run.out;
}

TEST_F(OfflineCommands, EvaluateRefusesATamperedArtifact) {
  writeFile(path("tx.jsonl"), "{\"transaction_id\":\"t1\",\"amount\":9000}\n");
  std::string flipped = compiled_.bytes;
  flipped[flipped.size() / 2] ^= 0x01;
  writeFile(path("ruleset.json"), flipped);
  expectRefused(runFraudgov(plus(verifyArgs("evaluate"), {"--transactions", path("tx.jsonl")})), "checksum_mismatch");
}

TEST_F(OfflineCommands, EvaluateStopsAtAMalformedLine) {
  writeFile(path("tx.jsonl"), "{\"transaction_id\":\"t1\",\"amount\":9000}\n[1,2]\n");
  const CommandRun run = runFraudgov(plus(verifyArgs("evaluate"), {"--transactions", path("tx.jsonl")}));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("line 2: "), std::string::npos) << run.err;
}

}  // namespace
}  // namespace fraudgov::app
