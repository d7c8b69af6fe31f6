#include "service/catalog_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "service/audit_service.h"
#include "store/audit_store.h"
#include "support/test_database.h"

namespace fraudgov {

namespace {

using domain::DataType;
using domain::Operator;

const domain::Actor kMaker{"https://idp.test/", "maker-1", "req-maker"};

service::NewField numberField(std::string key) {
  return {std::move(key), {"Display", std::nullopt, DataType::kNumber, {Operator::kGt, Operator::kLt}, false, false}};
}

std::vector<domain::AuditRecord> auditRows(store::Database& db) {
  auto rows = store::inRead(db, [](store::SqlSession& s) {
    return store::AuditStore::list(s, {}, store::SeqBounds{std::nullopt, false, 1000});
  });
  EXPECT_TRUE(rows);
  return *rows;
}

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::openFreshDatabase(16);
    ASSERT_TRUE(db_);
    catalog_ = std::make_unique<service::CatalogService>(*db_);
    ASSERT_TRUE(catalog_->seedStandardFields());
  }
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<service::CatalogService> catalog_;
};

}  // namespace

TEST_F(CatalogServiceTest, SeedsTheStandardFieldsOnce) {
  auto fields = catalog_->listFields();
  ASSERT_TRUE(fields);
  ASSERT_EQ(fields->size(), 26u);
  EXPECT_EQ(fields->at(2).field_key, "amount");
  EXPECT_EQ(fields->at(2).definition.display_name, "Amount");
  EXPECT_EQ(fields->at(2).definition.data_type, DataType::kNumber);
  const auto rows_before = auditRows(*db_).size();
  ASSERT_TRUE(catalog_->seedStandardFields());
  EXPECT_EQ(catalog_->listFields()->size(), 26u);
  EXPECT_EQ(auditRows(*db_).size(), rows_before);
  auto versions = catalog_->listVersions("card_hash");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ(versions->at(0).status, domain::VersionStatus::kApproved);
}

TEST_F(CatalogServiceTest, CreateAssignsIdsFromTwentySevenAndAudits) {
  auto created = catalog_->createField(kMaker, numberField("velocity_1h"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->field_id, 27);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->current_version, 1);
  EXPECT_EQ(created->created_by, "maker-1");
  auto rows = auditRows(*db_);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0].event.entity_type, "RULE_FIELD");
  EXPECT_EQ(rows[0].event.action, "CREATE");
  EXPECT_EQ(rows[0].event.entity_id, domain::fieldAuditId("velocity_1h"));
  EXPECT_TRUE(rows[0].event.old_value.is_null());
  EXPECT_EQ(rows[0].event.new_value.at("field_key").as_string(), "velocity_1h");
  EXPECT_EQ(rows[0].performed_by, "maker-1");
  EXPECT_EQ(rows[0].performed_by_issuer, "https://idp.test/");
  EXPECT_EQ(rows[1].event.entity_type, "FIELD_VERSION");
}

TEST_F(CatalogServiceTest, DuplicateKeyIsAConflictAndChangesNothing) {
  ASSERT_TRUE(catalog_->createField(kMaker, numberField("velocity_1h")));
  const auto rows = auditRows(*db_).size();
  auto again = catalog_->createField(kMaker, numberField("velocity_1h"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(auditRows(*db_).size(), rows);
  auto standard = catalog_->createField(kMaker, numberField("amount"));
  ASSERT_FALSE(standard);
  EXPECT_EQ(standard.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(CatalogServiceTest, InvalidInputIsRefusedWithPaths) {
  auto bad = numberField("Bad Key");
  bad.definition.display_name = "";
  bad.definition.allowed_operators = {Operator::kGt, Operator::kGt, Operator::kRegex};
  auto r = catalog_->createField(kMaker, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  const auto& errors = r.error().details.at("errors").as_array();
  std::set<std::string> paths;
  for (const auto& e : errors) paths.insert(std::string(e.at("path").as_string()));
  EXPECT_TRUE(paths.contains("field_key"));
  EXPECT_TRUE(paths.contains("display_name"));
  EXPECT_TRUE(paths.contains("allowed_operators[1]"));
  EXPECT_TRUE(paths.contains("allowed_operators[2]"));
  for (const char* key : {"a__b", "a_", "_a", "1a", "", "aé"}) {
    EXPECT_FALSE(catalog_->createField(kMaker, numberField(key))) << key;
  }
  EXPECT_TRUE(catalog_->createField(kMaker, numberField(std::string(100, 'a'))));
  EXPECT_FALSE(catalog_->createField(kMaker, numberField(std::string(101, 'b'))));
}

TEST_F(CatalogServiceTest, PatchWritesANewImmutableVersion) {
  ASSERT_TRUE(catalog_->createField(kMaker, numberField("velocity_1h")));
  service::FieldPatch patch;
  patch.display_name = "Velocity (1h)";
  patch.description = std::optional<std::string>("Transactions per hour");
  auto patched = catalog_->patchField(kMaker, "velocity_1h", patch);
  ASSERT_TRUE(patched) << patched.error().message;
  EXPECT_EQ(patched->version, 2);
  EXPECT_EQ(patched->current_version, 2);
  EXPECT_EQ(patched->definition.display_name, "Velocity (1h)");
  auto versions = catalog_->listVersions("velocity_1h");
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ(versions->at(0).version, 2);
  EXPECT_EQ(versions->at(0).definition.display_name, "Velocity (1h)");
  EXPECT_EQ(versions->at(1).definition.display_name, "Display");
  auto rows = auditRows(*db_);
  EXPECT_EQ(rows[0].event.action, "UPDATE");
  EXPECT_EQ(rows[0].event.old_value.at("display_name").as_string(), "Display");
  EXPECT_EQ(rows[0].event.new_value.at("display_name").as_string(), "Velocity (1h)");

  // The same values again change nothing: no version, no audit row.
  const auto count = rows.size();
  auto again = catalog_->patchField(kMaker, "velocity_1h", patch);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->version, 2);
  EXPECT_EQ(auditRows(*db_).size(), count);

  service::FieldPatch incompatible;
  incompatible.data_type = DataType::kBoolean;  // GT/LT make no sense on a boolean
  auto refused = catalog_->patchField(kMaker, "velocity_1h", incompatible);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->patchField(kMaker, "nope", patch).error().code, ErrorCode::kNotFound);
}

TEST_F(CatalogServiceTest, MetadataLifecycleIsAudited) {
  boost::json::object value{{"aggregation", "COUNT"}, {"window", {{"value", 10}, {"unit", "MINUTES"}}}};
  auto created = catalog_->putMetadata(kMaker, "amount", "velocity", value);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->created);
  auto fetched = catalog_->getMetadata("amount", "velocity");
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->meta_value, value);

  value["aggregation"] = "SUM";
  auto updated = catalog_->putMetadata(kMaker, "amount", "velocity", value);
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->created);
  EXPECT_EQ(updated->metadata.created_at, fetched->created_at);

  ASSERT_TRUE(catalog_->deleteMetadata(kMaker, "amount", "velocity"));
  EXPECT_EQ(catalog_->getMetadata("amount", "velocity").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->deleteMetadata(kMaker, "amount", "velocity").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->putMetadata(kMaker, "nope", "velocity", value).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->putMetadata(kMaker, "amount", "velocity", {}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->putMetadata(kMaker, "amount", "v", {{"x", std::string("a\0b", 3)}}).error().code,
            ErrorCode::kInvalidArgument);

  auto rows = auditRows(*db_);
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0].event.action, "DELETE");
  EXPECT_TRUE(rows[0].event.new_value.is_null());
  EXPECT_EQ(rows[1].event.action, "UPDATE");
  EXPECT_EQ(rows[2].event.action, "CREATE");
  EXPECT_EQ(rows[0].event.entity_type, "RULE_FIELD_METADATA");
}

// field_id allocation must not race: parallel creators all succeed with distinct ids.
TEST_F(CatalogServiceTest, ConcurrentCreatesGetDistinctFieldIds) {
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<int> ids(kThreads, 0);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto r = catalog_->createField(kMaker, numberField("concurrent_" + std::to_string(t)));
      if (r) {
        ids[t] = r->field_id;
      } else {
        ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int> distinct(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(*distinct.begin(), 27);
  EXPECT_EQ(*distinct.rbegin(), 27 + kThreads - 1);
  service::AuditService audit(*db_, service::CursorCodec("0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(audit.verify()->chain.ok);
}

TEST_F(CatalogServiceTest, ConcurrentDuplicateCreatesLeaveExactlyOne) {
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, conflicts{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto r = catalog_->createField(kMaker, numberField("contested"));
      if (r) {
        ++ok;
      } else if (r.error().code == ErrorCode::kFailedPrecondition) {
        ++conflicts;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
}

}  // namespace fraudgov
