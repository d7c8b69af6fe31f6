#include "store/sqlite/sqlite_database.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/json.h"
#include "store/connection_pool.h"

namespace fraudgov::store {

namespace {

constexpr int kRetryAfterDeadline = 1;
constexpr int kRetryAfterStorage = 10;
// How many virtual-machine instructions run between two looks at the deadline.
constexpr int kDeadlineCheckInstructions = 1000;

// Storage that cannot be written (or read): the disk is full, the file or filesystem is
// read-only, I/O fails, the file cannot be opened. Not a bug and not the client's fault: 503.
bool isStorageFailure(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

// lockNamed() on SQLite: one timed mutex per (database file, name) for the life of the process
// (names are publication scopes: few), shared by every SqliteDatabase of the process on that
// file. Process-local by design (database.h).
class NamedMutexes {
 public:
  static NamedMutexes& instance() {
    static NamedMutexes mutexes;
    return mutexes;
  }

  class Held final : public NamedLock {
   public:
    explicit Held(std::shared_ptr<std::timed_mutex> mu) : mu_(std::move(mu)) {}
    ~Held() override { mu_->unlock(); }

   private:
    std::shared_ptr<std::timed_mutex> mu_;
  };

  Result<std::unique_ptr<NamedLock>> lock(std::string_view name, Deadline deadline) {
    std::shared_ptr<std::timed_mutex> mu;
    {
      std::lock_guard guard(mu_);
      auto& slot = by_name_[std::string(name)];
      if (!slot) slot = std::make_shared<std::timed_mutex>();
      mu = slot;
    }
    if (!mu->try_lock_for(deadline.remaining())) {
      return fail(Error::deadlineExceeded("Another publication of this scope is still running", kRetryAfterDeadline)
                      .withInternalDetail("deadline: waiting for named lock " + std::string(name)));
    }
    return std::unique_ptr<NamedLock>(std::make_unique<Held>(std::move(mu)));
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<std::timed_mutex>> by_name_;
};

class SqliteConnection final : public SqlSession {
 public:
  SqliteConnection(sqlite3* db, Deadline deadline) : db_(db), deadline_(deadline) {
    // A statement running past the deadline is interrupted (SQLITE_INTERRUPT), and waiting for
    // another writer's lock ends with it too (setDeadline sets the busy timeout).
    sqlite3_progress_handler(
        db_, kDeadlineCheckInstructions,
        [](void* self) -> int { return static_cast<SqliteConnection*>(self)->deadline_.expired() ? 1 : 0; }, this);
    setDeadline(deadline);
  }
  ~SqliteConnection() override {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  void setDeadline(Deadline deadline) {
    deadline_ = deadline;
    sqlite3_busy_timeout(db_, std::max(1, deadline.remainingMs()));
  }
  // After an I/O failure, a read-only or unopenable file the connection is reopened, so that
  // storage that comes back (space freed, filesystem remounted) is seen with fresh descriptors.
  bool broken() const { return broken_; }
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  Result<Rows> query(const Sql& sql, std::span<const SqlParam> params) override {
    FRAUDGOV_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    Rows rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return fail(errorFor(rc, sql));
      const int columns = sqlite3_column_count(stmt);
      std::vector<std::optional<std::string>> cells(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) continue;
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        cells[static_cast<std::size_t>(c)] = std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
      rows.emplace_back(std::move(cells));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  Result<std::int64_t> execute(const Sql& sql, std::span<const SqlParam> params) override {
    FRAUDGOV_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) return fail(errorFor(rc, sql));
    return static_cast<std::int64_t>(sqlite3_changes(db_));
  }

  Status executeScript(std::string_view script) override {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, std::string(script).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      const std::string text = message ? message : "unknown";
      sqlite3_free(message);
      if (auto e = environmentError(rc, "script", text)) return fail(std::move(*e));
      spdlog::error("sqlite script failed: {}", text);
      return fail(Error::internal("database script failed"));
    }
    return {};
  }

 private:
  Result<sqlite3_stmt*> prepare(const Sql& sql, std::span<const SqlParam> params) {
    const std::string_view text = sql.textFor(Dialect::kSqlite);
    sqlite3_stmt*& stmt = statements_[text.data()];
    if (!stmt) {
      const int rc = sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                        &stmt, nullptr);
      if (rc != SQLITE_OK) {
        spdlog::error("sqlite prepare {} failed: {}", sql.name, sqlite3_errmsg(db_));
        statements_.erase(text.data());
        return fail(Error::internal("database statement failed"));
      }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = "$" + std::to_string(i + 1);
      const int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) continue;  // parameter not used by this dialect's text
      if (bind(stmt, index, params[i]) != SQLITE_OK) return fail(Error::internal("database bind failed"));
    }
    return stmt;
  }

  static int bind(sqlite3_stmt* stmt, int index, const SqlParam& p) {
    struct Binder {
      sqlite3_stmt* stmt;
      int index;
      int operator()(std::monostate) const { return sqlite3_bind_null(stmt, index); }
      int operator()(std::int64_t v) const { return sqlite3_bind_int64(stmt, index, v); }
      int operator()(bool v) const { return sqlite3_bind_int(stmt, index, v ? 1 : 0); }
      int operator()(const std::string& v) const {
        return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      int operator()(const Timestamp& t) const {
        const std::string s = formatIsoFixed(t);
        return sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      int operator()(const JsonParam& j) const {
        const std::string s = json::serialize(j.value);
        return sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
    };
    return std::visit(Binder{stmt, index}, p);
  }

  Error errorFor(int rc, const Sql& sql) {
    const int extended = sqlite3_extended_errcode(db_);
    const std::string message = sqlite3_errmsg(db_);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
      std::string kind = "other";
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) kind = "unique";
      if (extended == SQLITE_CONSTRAINT_CHECK) kind = "check";
      if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) kind = "foreign_key";
      if (extended == SQLITE_CONSTRAINT_TRIGGER) kind = "trigger";
      // "UNIQUE constraint failed: rule_fields.field_id" -> "rule_fields.field_id"
      const auto colon = message.rfind(": ");
      const std::string constraint = colon == std::string::npos ? message : message.substr(colon + 2);
      return constraintViolation(kind, constraint);
    }
    if (auto e = environmentError(rc, sql.name, message)) return std::move(*e);
    spdlog::error("sqlite statement {} failed: {}", sql.name, message);
    return Error::internal("database statement failed");
  }

  // Failures caused by the world rather than by the statement: a busy lock, the deadline, the
  // storage. nullopt for everything else.
  std::optional<Error> environmentError(int rc, std::string_view what, const std::string& message) {
    const int extended = sqlite3_extended_errcode(db_);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
      return Error::unavailable("Database is busy", 1);
    }
    if ((rc & 0xff) == SQLITE_INTERRUPT) {
      spdlog::warn("sqlite {} did not finish before its deadline", what);
      return Error::deadlineExceeded("The database did not answer in time", kRetryAfterDeadline)
          .withInternalDetail("deadline: " + std::string(what));
    }
    if (isStorageFailure(rc) || isStorageFailure(extended)) {
      if ((rc & 0xff) != SQLITE_FULL) broken_ = true;
      spdlog::error("sqlite {} failed, storage unavailable ({}): {}", what, extended, message);
      return Error::storageUnavailable((rc & 0xff) == SQLITE_FULL
                                           ? "Storage unavailable: the database disk is full"
                                           : "Storage unavailable: the database cannot be written",
                                       kRetryAfterStorage)
          .withInternalDetail("sqlite " + std::to_string(extended) + ": " + message);
    }
    return std::nullopt;
  }

  sqlite3* db_;
  Deadline deadline_;
  bool broken_ = false;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;  // keyed by the static SQL text
};

class SqliteDatabase final : public PooledDatabase<SqliteConnection> {
 public:
  SqliteDatabase(std::string path, DatabaseOptions options, SqliteSync sync)
      : PooledDatabase(options, [this](const Deadline& deadline) { return connect(deadline); }),
        path_(std::move(path)),
        sync_(sync) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  Status write(const std::function<Status(SqlSession&)>& work) override { return writeWithin(newDeadline(), work); }
  Status read(const std::function<Status(SqlSession&)>& work) override {
    static constexpr Sql kBeginDeferred{"begin", "BEGIN"};
    Status status = transaction(newDeadline(), kBeginDeferred, work);
    noteOutcome(status, false);
    return status;
  }

  ~SqliteDatabase() override {
    sqlite3_finalize(data_version_);
    sqlite3_close_v2(watcher_);
  }

  Result<std::unique_ptr<NamedLock>> lockNamed(std::string_view name, Deadline deadline) override {
    return NamedMutexes::instance().lock(path_ + '\n' + std::string(name), deadline);
  }

  // PRAGMA data_version on a connection of its own that never writes: it changes whenever any
  // other connection, in this process or another, commits. Cheap: it reads the WAL index.
  std::optional<std::uint64_t> changeStamp() override {
    std::lock_guard lock(watcher_mu_);
    if (!data_version_ && !openWatcher()) return std::nullopt;
    std::optional<std::uint64_t> stamp;
    if (sqlite3_step(data_version_) == SQLITE_ROW) {
      stamp = static_cast<std::uint64_t>(sqlite3_column_int64(data_version_, 0));
    }
    sqlite3_reset(data_version_);
    return stamp;
  }

 protected:
  // Writers of this process queue on a mutex before BEGIN IMMEDIATE: left to SQLite's busy
  // handler they would poll with sleeps of up to 100 ms, which made the write lock unfair (p99 of
  // seconds at 8 concurrent writers, docs/performance.md). Other processes still meet the busy
  // timeout. The queue is bounded by the caller's deadline like everything else.
  Status writeWithin(Deadline deadline, const std::function<Status(SqlSession&)>& work) override {
    static constexpr Sql kBeginImmediate{"begin_immediate", "BEGIN IMMEDIATE"};
    std::unique_lock lock(write_mu_, std::defer_lock);
    if (!lock.try_lock_for(deadline.remaining())) {
      return fail(Error::deadlineExceeded("The database did not answer in time", kRetryAfterDeadline)
                      .withInternalDetail("deadline: waiting for this process's write lock"));
    }
    Status status = transaction(deadline, kBeginImmediate, work);
    noteOutcome(status, true);
    return status;
  }

 private:
  Result<std::unique_ptr<SqliteConnection>> connect(const Deadline& deadline) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      spdlog::error("cannot open sqlite database {}: {}", path_, db ? sqlite3_errmsg(db) : "out of memory");
      sqlite3_close_v2(db);
      if (isStorageFailure(rc)) {
        return fail(Error::storageUnavailable("Storage unavailable: the database cannot be opened", kRetryAfterStorage));
      }
      return fail(Error::unavailable("Database unavailable", 1));
    }
    auto connection = std::make_unique<SqliteConnection>(db, deadline);
    // synchronous is per connection, so every pooled connection sets it. FULL fsyncs the WAL at
    // every commit: a 2xx then survives power loss, not only a process crash (invariant 11).
    FRAUDGOV_RETURN_IF_ERROR(connection->executeScript(
        sync_ == SqliteSync::kFull
            ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA "
              "trusted_schema=OFF;"));
    return connection;
  }

  Status transaction(const Deadline& deadline, const Sql& begin, const std::function<Status(SqlSession&)>& work) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire(deadline));
    SqliteConnection& c = *lease;
    if (auto r = c.execute(begin, {}); !r) return fail(r.error());
    Status status = work(c);
    static constexpr Sql kCommit{"commit", "COMMIT"};
    if (status) {
      if (auto r = c.execute(kCommit, {}); !r) status = fail(r.error());
    }
    // SQLite itself rolls back on some failures (a full disk at COMMIT, an I/O error, an
    // interrupt): roll back only what is still open, so there is nothing to complain about.
    if (!status && c.inTransaction()) {
      static constexpr Sql kRollback{"rollback", "ROLLBACK"};
      (void)c.execute(kRollback, {});
    }
    return status;
  }

  bool openWatcher() {
    if (sqlite3_open_v2(path_.c_str(), &watcher_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(watcher_, "PRAGMA data_version", -1, &data_version_, nullptr) != SQLITE_OK) {
      spdlog::error("sqlite change watcher unavailable: {}", watcher_ ? sqlite3_errmsg(watcher_) : "out of memory");
      sqlite3_finalize(data_version_);
      sqlite3_close_v2(watcher_);
      data_version_ = nullptr;
      watcher_ = nullptr;
      return false;
    }
    return true;
  }

  std::string path_;
  SqliteSync sync_;
  std::mutex watcher_mu_;
  std::timed_mutex write_mu_;  // held for a whole write transaction: see writeWithin()
  sqlite3* watcher_ = nullptr;
  sqlite3_stmt* data_version_ = nullptr;
};

}  // namespace

Result<std::unique_ptr<Database>> openSqlite(const std::string& path, const DatabaseOptions& options, SqliteSync sync) {
  const std::filesystem::path file(path);
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return fail(Error::unavailable("Cannot create database directory " + file.parent_path().string()));
  }
  auto db = std::make_unique<SqliteDatabase>(path, options, sync);
  FRAUDGOV_RETURN_IF_ERROR(db->checkReady(Deadline::after(options.deadline)));  // fail at startup, not at the first request
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fraudgov::store
