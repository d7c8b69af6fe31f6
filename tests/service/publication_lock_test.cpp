// Issue 9 item 5: compiles and object-store uploads never run under the store-wide write lock.
// Proven without timing: an artifact store whose put blocks on a latch holds an approval (or an
// activation) inside its upload while other governance writes must complete; and inputs that
// change while the upload is held are noticed by the write transaction (recompiled, or refused),
// never recorded under a checksum other than the one approved. Both backends (BOTH_BACKENDS).
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/crypto.h"
#include "common/json.h"
#include "common/uuid.h"
#include "publish/filesystem_artifact_store.h"
#include "publish/forwarding_artifact_store.h"
#include "service/catalog_service.h"
#include "service/rule_service.h"
#include "service/ruleset_service.h"
#include "store/forwarding_database.h"
#include "store/publication_store.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

const domain::Actor kMaker{"https://idp.test/", "maker", "r1"};
const domain::Actor kChecker{"https://idp.test/", "checker", "r2"};
// Only a safety net against a hung test: nothing is asserted about how long anything takes.
constexpr auto kNeverExpected = std::chrono::seconds(60);

// Puts go to the filesystem; the first put whose key ends with the gated suffix blocks until
// release(). Every key put is recorded.
class GatedStore final : public publish::ForwardingArtifactStore {
 public:
  explicit GatedStore(const std::filesystem::path& dir)
      : ForwardingArtifactStore(std::make_unique<publish::FilesystemArtifactStore>(dir)) {}

  void gate(std::string suffix) {
    std::lock_guard lock(mu_);
    gated_ = std::move(suffix);
    blocked_ = released_ = false;
  }
  bool waitUntilBlocked() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kNeverExpected, [&] { return blocked_; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  std::size_t putsOf(std::string_view key) {
    std::lock_guard lock(mu_);
    return static_cast<std::size_t>(std::count(puts_.begin(), puts_.end(), key));
  }

  Result<publish::StoredObject> put(std::string_view key, std::string_view bytes,
                                    std::string_view content_type) override {
    {
      std::unique_lock lock(mu_);
      puts_.emplace_back(key);
      if (!gated_.empty() && key.ends_with(gated_)) {
        gated_.clear();
        blocked_ = true;
        cv_.notify_all();
        cv_.wait_for(lock, kNeverExpected, [&] { return released_; });
      }
    }
    return ForwardingArtifactStore::put(key, bytes, content_type);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string gated_;
  bool blocked_ = false;
  bool released_ = false;
  std::vector<std::string> puts_;
};

// Fails the next write transaction on request (a statement failing after the pointer moved).
class FailingWrites final : public store::ForwardingDatabase {
 public:
  using ForwardingDatabase::ForwardingDatabase;
  void failNextWrite() { fail_next_ = true; }
  Status write(const std::function<Status(store::SqlSession&)>& work) override {
    if (fail_next_.exchange(false)) return fail(Error::unavailable("injected write failure"));
    return ForwardingDatabase::write(work);
  }

 private:
  std::atomic<bool> fail_next_{false};
};

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

class PublicationLockTest : public ::testing::Test {
 protected:
  PublicationLockTest()
      : db_(std::make_unique<FailingWrites>(testing::openFreshDatabase())),
        dir_(std::filesystem::temp_directory_path() / ("fraudgov-pl-" + uuid::v4())),
        store_(std::make_shared<GatedStore>(dir_)),
        key_(std::make_shared<const publish::ArtifactSigningKey>(*publish::ArtifactSigningKey::generate())),
        publisher_({"test", store_, [this] { return key_; }}),
        cursors_("0123456789abcdef0123456789abcdef0123"),
        catalog_(*db_),
        rules_(*db_, cursors_),
        rulesets_(*db_, cursors_, publisher_) {
    EXPECT_TRUE(catalog_.seedStandardFields());
  }
  ~PublicationLockTest() override { std::filesystem::remove_all(dir_); }

  std::string approvedRule(int threshold) {
    service::NewRule input;
    input.rule_name = "rule " + std::to_string(threshold);
    input.rule_type = domain::RuleType::kAuth;
    input.condition_tree = *json::parseStrict(R"({"field":"amount","op":"GT","value":)" + std::to_string(threshold) + "}");
    auto created = rules_.createRule(kMaker, input);
    EXPECT_TRUE(created) << created.error().message;
    const std::string id = created->first_version->rule_version_id;
    EXPECT_TRUE(rules_.submit(kMaker, id, {}));
    EXPECT_TRUE(rules_.approve(kChecker, id, {}));
    return id;
  }

  // A submitted version of the (test, EMEA, DE, AUTH) ruleset.
  std::string submittedVersion(int threshold) {
    if (ruleset_id_.empty()) {
      auto ruleset = rulesets_.createRuleset(kMaker, {"test", "EMEA", "DE", domain::RuleType::kAuth, {}, {}});
      EXPECT_TRUE(ruleset) << ruleset.error().message;
      ruleset_id_ = ruleset->ruleset_id;
    }
    auto version = rulesets_.createVersion(kMaker, ruleset_id_, {approvedRule(threshold)});
    EXPECT_TRUE(version) << version.error().message;
    const std::string id = version->version.ruleset_version_id;
    auto submitted = rulesets_.submit(kMaker, id, {});
    EXPECT_TRUE(submitted) << submitted.error().message;
    return id;
  }

  // Another governance write: it needs the store-wide write lock.
  void expectOtherWritesProceed() {
    service::NewRule input;
    input.rule_name = "written while a publication uploads";
    input.rule_type = domain::RuleType::kAuth;
    input.condition_tree = *json::parseStrict(R"({"field":"amount","op":"LT","value":5})");
    auto created = rules_.createRule(kMaker, input);
    EXPECT_TRUE(created) << "the store-wide write lock is held during the upload: " << created.error().message;
  }

  std::optional<domain::PublishedArtifact> manifestOf(const std::string& id) {
    auto found = store::inRead(*db_, [&](store::SqlSession& s) { return store::PublicationStore::findManifest(s, id); });
    EXPECT_TRUE(found);
    if (!found || !*found) return std::nullopt;
    return (*found)->first;
  }

  domain::VersionStatus statusOf(const std::string& id) { return rulesets_.getVersion(id)->version.status; }

  static constexpr std::string_view kScope = "rulesets/test/EMEA/DE/CARD_AUTH/";

  std::unique_ptr<FailingWrites> db_;
  std::filesystem::path dir_;
  std::shared_ptr<GatedStore> store_;
  std::shared_ptr<const publish::ArtifactSigningKey> key_;
  service::Publisher publisher_;
  service::CursorCodec cursors_;
  service::CatalogService catalog_;
  service::RuleService rules_;
  service::RulesetService rulesets_;
  std::string ruleset_id_;
};

TEST_F(PublicationLockTest, ApprovalUploadsWithoutHoldingTheWriteLock) {
  const std::string id = submittedVersion(100);
  store_->gate("v1/ruleset.json");
  Result<service::RulesetVersionView> approved = fail(Error::internal("not run"));
  std::thread approver([&] { approved = rulesets_.approve(kChecker, id, {}); });
  ASSERT_TRUE(store_->waitUntilBlocked());
  expectOtherWritesProceed();
  EXPECT_EQ(statusOf(id), domain::VersionStatus::kPendingApproval) << "nothing commits before the upload finished";
  EXPECT_FALSE(manifestOf(id));
  store_->release();
  approver.join();
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->version.status, domain::VersionStatus::kApproved);
  ASSERT_TRUE(manifestOf(id));
  EXPECT_EQ(manifestOf(id)->publication, 1);
}

TEST_F(PublicationLockTest, ActivationMovesThePointerWithoutHoldingTheWriteLock) {
  const std::string id = submittedVersion(100);
  ASSERT_TRUE(rulesets_.approve(kChecker, id, {}));
  store_->gate(std::string(kScope) + "manifest.json");
  Result<service::RulesetVersionView> activated = fail(Error::internal("not run"));
  std::thread activator([&] { activated = rulesets_.activate(kChecker, id); });
  ASSERT_TRUE(store_->waitUntilBlocked());
  expectOtherWritesProceed();
  EXPECT_EQ(statusOf(id), domain::VersionStatus::kApproved);
  store_->release();
  activator.join();
  ASSERT_TRUE(activated) << activated.error().message;
  EXPECT_EQ(activated->version.status, domain::VersionStatus::kActive);
  EXPECT_TRUE(std::filesystem::exists(dir_ / kScope / "manifest.json"));
}

TEST_F(PublicationLockTest, CatalogChangeDuringTheUploadIsRecompiledBeforeAnythingIsRecorded) {
  const std::string id = submittedVersion(100);
  auto submitted = rulesets_.compile(id);
  ASSERT_TRUE(submitted) << submitted.error().message;
  store_->gate("v1/ruleset.json");
  Result<service::RulesetVersionView> approved = fail(Error::internal("not run"));
  std::thread approver([&] { approved = rulesets_.approve(kChecker, id, {}); });
  ASSERT_TRUE(store_->waitUntilBlocked());
  // A new field changes the compile inputs (the catalog) but not what this ruleset compiles to.
  service::NewField field{"velocity_new", {"Velocity", std::nullopt, domain::DataType::kNumber,
                                           {domain::Operator::kGt}, false, false}};
  auto created = catalog_.createField(kMaker, field);
  ASSERT_TRUE(created) << created.error().message;
  store_->release();
  approver.join();
  ASSERT_TRUE(approved) << approved.error().message;
  const std::string artifact = std::string(kScope) + "v1/ruleset.json";
  EXPECT_EQ(store_->putsOf(artifact), 2u) << "the write transaction noticed the change: compiled and uploaded again";
  auto manifest = manifestOf(id);
  ASSERT_TRUE(manifest);
  EXPECT_EQ(manifest->publication, 1) << "the retry overwrote its own v1 objects";
  EXPECT_EQ(manifest->checksum, submitted->compiled.checksum);
  EXPECT_EQ(crypto::sha256Checksum(readFile(dir_ / artifact)), submitted->compiled.checksum);
}

TEST_F(PublicationLockTest, CatalogChangeThatChangesTheArtifactDuringTheUploadRefusesTheApproval) {
  const std::string id = submittedVersion(100);
  store_->gate("v1/ruleset.json");
  Result<service::RulesetVersionView> approved = fail(Error::internal("not run"));
  std::thread approver([&] { approved = rulesets_.approve(kChecker, id, {}); });
  ASSERT_TRUE(store_->waitUntilBlocked());
  // The rule's "amount GT" no longer compiles against the catalog.
  service::FieldPatch patch;
  patch.allowed_operators = std::vector<domain::Operator>{domain::Operator::kLt};
  auto patched = catalog_.patchField(kMaker, "amount", patch);
  ASSERT_TRUE(patched) << patched.error().message;
  store_->release();
  approver.join();
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.error().code, ErrorCode::kFailedPrecondition) << approved.error().message;
  EXPECT_EQ(statusOf(id), domain::VersionStatus::kPendingApproval);
  EXPECT_FALSE(manifestOf(id)) << "no manifest recorded whose checksum differs from what was approved";
}

TEST_F(PublicationLockTest, FailedActivationTransactionPutsThePreviousPointerBack) {
  const std::string first = submittedVersion(100);
  ASSERT_TRUE(rulesets_.approve(kChecker, first, {}));
  ASSERT_TRUE(rulesets_.activate(kChecker, first));
  const auto pointer = dir_ / kScope / "manifest.json";
  const std::string committed = readFile(pointer);
  const std::string second = submittedVersion(200);
  ASSERT_TRUE(rulesets_.approve(kChecker, second, {}));

  db_->failNextWrite();  // the activation's transaction, after the pointer moved
  auto refused = rulesets_.activate(kChecker, second);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store_->putsOf(std::string(kScope) + "manifest.json"), 3u) << "moved, then put back";
  EXPECT_EQ(readFile(pointer), committed) << "the runtime points at the last committed activation again";
  EXPECT_EQ(statusOf(first), domain::VersionStatus::kActive);
  EXPECT_EQ(statusOf(second), domain::VersionStatus::kApproved);

  auto retried = rulesets_.activate(kChecker, second);
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_NE(readFile(pointer), committed);
}

TEST_F(PublicationLockTest, RacingCheckersGetOneApprovalAndUploadOnce) {
  const std::string id = submittedVersion(100);
  Result<service::RulesetVersionView> results[2] = {fail(Error::internal("not run")), fail(Error::internal("not run"))};
  std::thread checkers[2];
  for (int i = 0; i < 2; ++i) {
    checkers[i] = std::thread([&, i] {
      results[i] = rulesets_.approve({"https://idp.test/", "checker" + std::to_string(i), "r2"}, id, {});
    });
  }
  for (auto& t : checkers) t.join();
  ASSERT_NE(static_cast<bool>(results[0]), static_cast<bool>(results[1])) << "exactly one approval";
  const auto& refused = results[0] ? results[1] : results[0];
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition) << refused.error().message;
  EXPECT_EQ(manifestOf(id)->publication, 1);
  EXPECT_EQ(store_->putsOf(std::string(kScope) + "v1/ruleset.json"), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir_ / kScope / "v2")) << "the loser uploaded nothing";
}

TEST_F(PublicationLockTest, FailedUploadRecordsNothing) {
  const std::string id = submittedVersion(100);
  // A directory where the artifact file should go: the filesystem store cannot write it.
  std::filesystem::create_directories(dir_ / kScope / "v1/ruleset.json/blocked");
  auto refused = rulesets_.approve(kChecker, id, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(statusOf(id), domain::VersionStatus::kPendingApproval);
  EXPECT_FALSE(manifestOf(id));
}

}  // namespace
}  // namespace fraudgov
