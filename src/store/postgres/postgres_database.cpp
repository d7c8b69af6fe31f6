#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <optional>
#include <semaphore>
#include <utility>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "store/connection_pool.h"
#include "store/postgres/change_listener.h"
#include "store/postgres/pq_io.h"

namespace fraudgov::store {

namespace {

// SQLSTATEs we act on.
constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kCheckViolation = "23514";
constexpr std::string_view kForeignKeyViolation = "23503";
constexpr std::string_view kSerializationFailure = "40001";
constexpr std::string_view kDeadlock = "40P01";
constexpr std::string_view kQueryCanceled = "57014";
constexpr std::string_view kDiskFull = "53100";
constexpr std::string_view kReadOnlyTransaction = "25006";  // e.g. connected to a standby after a failover

// How long a client should wait before retrying after each kind of trouble.
constexpr int kRetryAfterDeadline = 1;
constexpr int kRetryAfterStorage = 10;

// How often a backend checks, while running a statement, whether its client is still there
// (PostgreSQL 14+): a statement abandoned at our deadline is aborted within this much.
constexpr const char* kClientCheckIntervalMs = "1000";

// An advisory lock id only fraudgov write transactions take (see database.h).
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7316142985)";

// lockNamed(): session-level advisory locks in the two-int4 key space, which PostgreSQL keeps
// apart from the one-bigint space of kWriteLock. The first int marks fraudgov's named locks
// ("FGLK"); the second is a hash of the name (two names sharing a hash only wait on each other).
constexpr std::int64_t kNamedLockSpace = 0x46474C4B;
constexpr Sql kTryNamedLock{"named_lock_try", "SELECT pg_try_advisory_lock($1::integer, $2::integer)"};
constexpr Sql kNamedUnlock{"named_lock_release", "SELECT pg_advisory_unlock($1::integer, $2::integer)"};

using pq::ResultPtr;

std::string paramText(const SqlParam& p, bool& is_null) {
  struct Visitor {
    bool& is_null;
    std::string operator()(std::monostate) const {
      is_null = true;
      return {};
    }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const Timestamp& t) const { return formatIsoFixed(t); }
    std::string operator()(const JsonParam& j) const { return json::serialize(j.value); }
  };
  is_null = false;
  return std::visit(Visitor{is_null}, p);
}

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// FNV-1a: names are derived, so two texts never share one
std::string statementName(std::string_view text) { return "fg_" + std::to_string(fnv1a(text)); }

std::int64_t namedLockKey(std::string_view name) {
  const std::uint64_t h = fnv1a(name);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(h ^ (h >> 32)));
}

class PostgresConnection final : public SqlSession {
 public:
  PostgresConnection(PGconn* conn, Deadline deadline) : conn_(conn), deadline_(deadline) {}
  ~PostgresConnection() override { PQfinish(conn_); }  // non-blocking mode: never waits on the server

  Dialect dialect() const override { return Dialect::kPostgres; }
  // The pool gives every lease its caller's deadline.
  void setDeadline(Deadline deadline) { deadline_ = deadline; }
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  bool retryable() const { return retryable_; }
  // The session's state is unwanted (e.g. a session lock that would not release): the pool
  // closes the connection instead of reusing it.
  void discard() { broken_ = true; }

  Result<Rows> query(const Sql& sql, std::span<const SqlParam> params) override {
    FRAUDGOV_ASSIGN_OR_RETURN(ResultPtr res, run(sql, params));
    Rows rows;
    const int n = PQntuples(res.get());
    const int columns = PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<std::optional<std::string>> cells(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(res.get(), r, c)) continue;
        cells[static_cast<std::size_t>(c)] =
            std::string(PQgetvalue(res.get(), r, c), static_cast<std::size_t>(PQgetlength(res.get(), r, c)));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  Result<std::int64_t> execute(const Sql& sql, std::span<const SqlParam> params) override {
    FRAUDGOV_ASSIGN_OR_RETURN(ResultPtr res, run(sql, params));
    const char* affected = PQcmdTuples(res.get());
    return affected && *affected ? std::stoll(affected) : 0;
  }

  Status executeScript(std::string_view script) override {
    const std::string text(script);
    FRAUDGOV_RETURN_IF_ERROR(exchange([&] { return PQsendQuery(conn_, text.c_str()); }, "script"));
    return {};
  }

  Status plain(const char* text) {
    FRAUDGOV_RETURN_IF_ERROR(exchange([&] { return PQsendQuery(conn_, text); }, text));
    return {};
  }

  // Ends a transaction that will not commit. A broken connection is left alone: the pool
  // discards it, and closing the connection aborts the transaction on the server.
  void abandon() {
    if (broken() || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    (void)plain("ROLLBACK");
  }

 private:
  Result<ResultPtr> run(const Sql& sql, std::span<const SqlParam> params) {
    retryable_ = false;
    const std::string_view text = sql.textFor(Dialect::kPostgres);
    std::string name = statementName(text);
    if (!prepared_.contains(name)) {
      const std::string statement(text);
      FRAUDGOV_RETURN_IF_ERROR(
          exchange([&] { return PQsendPrepare(conn_, name.c_str(), statement.c_str(), 0, nullptr); }, sql.name));
      prepared_.insert(name);
    }
    std::vector<std::string> values(params.size());
    std::vector<const char*> pointers(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      bool is_null = false;
      values[i] = paramText(params[i], is_null);
      pointers[i] = is_null ? nullptr : values[i].c_str();
    }
    return exchange(
        [&] {
          return PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()), pointers.data(), nullptr,
                                     nullptr, 0);
        },
        sql.name);
  }

  // One command: send, then wait for its result until the deadline. On expiry the connection is
  // marked broken (its state is unknown: the command may be half sent, the transaction open),
  // so the pool discards it and nothing after this runs on it.
  template <class Send>
  Result<ResultPtr> exchange(Send send, std::string_view what) {
    if (broken()) return fail(Error::unavailable("Database unavailable", kRetryAfterDeadline));
    if (deadline_.expired()) return fail(expired(what));
    if (send() == 0) return fail(errorFor(nullptr, what));
    ResultPtr res(nullptr, &PQclear);
    switch (pq::finish(conn_, deadline_, res)) {
      case pq::Outcome::kExpired:
        return fail(expired(what));
      case pq::Outcome::kLost:
        return fail(errorFor(nullptr, what));
      case pq::Outcome::kOk:
        break;
    }
    const auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(errorFor(res.get(), what));
    return res;
  }

  Error expired(std::string_view what) {
    broken_ = true;
    spdlog::warn("postgres {} did not answer before its deadline; connection dropped", what);
    return Error::deadlineExceeded("The database did not answer in time", kRetryAfterDeadline)
        .withInternalDetail("deadline: " + std::string(what));
  }

  Error errorFor(const PGresult* res, std::string_view what) {
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state ? state : "";
    if (PQstatus(conn_) != CONNECTION_OK || sqlstate.empty()) {
      broken_ = true;
      spdlog::error("postgres connection failed during {}: {}", what, PQerrorMessage(conn_));
      return Error::unavailable("Database unavailable", 1);
    }
    if (sqlstate == kUniqueViolation || sqlstate == kCheckViolation || sqlstate == kForeignKeyViolation) {
      const char* constraint = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
      const std::string kind = sqlstate == kUniqueViolation  ? "unique"
                               : sqlstate == kCheckViolation ? "check"
                                                             : "foreign_key";
      return constraintViolation(kind, constraint ? constraint : "");
    }
    if (sqlstate == kSerializationFailure || sqlstate == kDeadlock) {
      retryable_ = true;
      return Error::unavailable("Database conflict, retry", 1);
    }
    if (sqlstate == kQueryCanceled) return Error::unavailable("Database statement timed out", 1);
    if (sqlstate == kDiskFull || sqlstate == kReadOnlyTransaction) {
      spdlog::error("postgres {} failed [{}]: {}", what, sqlstate, PQresultErrorMessage(res));
      return Error::storageUnavailable(sqlstate == kDiskFull ? "Storage unavailable: the database disk is full"
                                                             : "Storage unavailable: the database is read-only",
                                       kRetryAfterStorage)
          .withInternalDetail("sqlstate " + std::string(sqlstate));
    }
    spdlog::error("postgres {} failed [{}]: {}", what, sqlstate, PQresultErrorMessage(res));
    return Error::internal("database statement failed");
  }

  PGconn* conn_;
  Deadline deadline_;
  std::unordered_set<std::string> prepared_;
  bool broken_ = false;
  bool retryable_ = false;
};

// A named lock keeps its pooled connection for as long as it is held, and its holder then runs
// transactions that need another one. So at most pool size - 1 named locks are held at once: with
// every connection holding a lock, each holder would wait for a connection only another holder
// could return (until its deadline).
class NamedLockSlots {
 public:
  explicit NamedLockSlots(std::size_t slots) : free_(static_cast<std::ptrdiff_t>(slots)) {}

  // A taken slot, given back when destroyed.
  class Slot {
   public:
    explicit Slot(std::counting_semaphore<>& free) : free_(&free) {}
    Slot(Slot&& other) noexcept : free_(std::exchange(other.free_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (free_) free_->release();
    }

   private:
    std::counting_semaphore<>* free_;
  };

  std::optional<Slot> take(Deadline deadline) {
    if (!free_.try_acquire_until(deadline.when())) return std::nullopt;
    return Slot(free_);
  }

 private:
  std::counting_semaphore<> free_;
};

// A held named lock: the session that took it stays out of the pool until release. Closing
// the session (discard) releases it too, so a failed unlock never leaks the lock.
class PostgresNamedLock final : public NamedLock {
 public:
  using Lease = ConnectionPool<PostgresConnection>::Lease;
  PostgresNamedLock(NamedLockSlots::Slot slot, Lease lease, std::int64_t key, std::chrono::milliseconds budget)
      : slot_(std::move(slot)), lease_(std::move(lease)), key_(key), budget_(budget) {}
  ~PostgresNamedLock() override {
    lease_->setDeadline(Deadline::after(budget_));  // the acquisition deadline is long gone
    const SqlParam params[] = {kNamedLockSpace, key_};
    auto released = lease_->query(kNamedUnlock, params);
    if (!released || released->empty() || !released->at(0).boolean(0)) lease_->discard();
  }

  // Polls pg_try_advisory_lock until `deadline`: a blocking pg_advisory_lock abandoned at the
  // deadline could still be granted server-side after the client gave up.
  static Result<std::unique_ptr<NamedLock>> acquire(NamedLockSlots::Slot slot, Lease lease, std::string_view name,
                                                    Deadline deadline, std::chrono::milliseconds budget) {
    const std::int64_t key = namedLockKey(name);
    const SqlParam params[] = {kNamedLockSpace, key};
    auto pause = std::chrono::milliseconds(2);
    for (;;) {
      FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, lease->query(kTryNamedLock, params));
      if (!rows.empty() && rows.at(0).boolean(0)) {
        return std::unique_ptr<NamedLock>(
            std::make_unique<PostgresNamedLock>(std::move(slot), std::move(lease), key, budget));
      }
      if (deadline.remaining() <= pause) {
        return fail(Error::deadlineExceeded("Another publication of this scope is still running", kRetryAfterDeadline)
                        .withInternalDetail("deadline: waiting for named lock " + std::string(name)));
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }

 private:
  NamedLockSlots::Slot slot_;  // declared first: given back after the connection went back to the pool
  Lease lease_;
  std::int64_t key_;
  std::chrono::milliseconds budget_;
};

class PostgresDatabase final : public PooledDatabase<PostgresConnection> {
 public:
  PostgresDatabase(std::string url, DatabaseOptions options)
      : PooledDatabase(options, [this](const Deadline& deadline) { return connect(deadline); }),
        url_(std::move(url)),
        options_(options),
        named_lock_slots_(std::max<std::size_t>(options.pool_size, 2) - 1),
        changes_(
            [this]() -> PGconn* {
              auto conn = connectRaw("fraudgov-listener", newDeadline());
              return conn ? *conn : nullptr;
            },
            options.deadline) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status write(const std::function<Status(SqlSession&)>& work) override { return writeWithin(newDeadline(), work); }

  std::optional<std::uint64_t> changeStamp() override { return changes_.stamp(); }

  Result<std::unique_ptr<NamedLock>> lockNamed(std::string_view name, Deadline deadline) override {
    auto held = [&]() -> Result<std::unique_ptr<NamedLock>> {
      auto slot = named_lock_slots_.take(deadline);
      if (!slot) {
        return fail(Error::deadlineExceeded("Too many publications are running at once", kRetryAfterDeadline)
                        .withInternalDetail("deadline: waiting for a named-lock slot for " + std::string(name)));
      }
      FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire(deadline));
      return PostgresNamedLock::acquire(std::move(*slot), std::move(lease), name, deadline, budget_);
    }();
    if (!held) noteOutcome(Status(fail(held.error())), false);
    return held;
  }

  Status read(const std::function<Status(SqlSession&)>& work) override {
    bool retryable = false;
    Status status = transaction(newDeadline(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", nullptr, work,
                                retryable);
    noteOutcome(status, false);
    return status;
  }

 protected:
  Status writeWithin(Deadline deadline, const std::function<Status(SqlSession&)>& work) override {
    // Serialization failures cannot happen under the write lock, but a failover can still
    // abort a transaction; retry those a couple of times, all within the one deadline.
    Status last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      bool retryable = false;
      last = transaction(deadline, "BEGIN ISOLATION LEVEL READ COMMITTED", kWriteLock, work, retryable);
      // Even a failed COMMIT may have committed; moving the stamp needlessly only costs a miss.
      changes_.noteLocalWrite();
      if (last || !retryable) break;
    }
    noteOutcome(last, true);
    return last;
  }

 private:
  Result<std::unique_ptr<PostgresConnection>> connect(const Deadline& deadline) {
    FRAUDGOV_ASSIGN_OR_RETURN(PGconn * conn, connectRaw("fraudgov", deadline));
    return std::make_unique<PostgresConnection>(conn, deadline);
  }

  // A new connection in non-blocking mode, within the deadline (failures are logged).
  // tcp_user_timeout drops a connection whose sent data stays unacknowledged (a partition);
  // TCP keepalives let the change listener notice a vanished server even though it never sends
  // anything itself. A frozen server ACKs both, which is why every call also has a deadline.
  Result<PGconn*> connectRaw(const char* application_name, const Deadline& deadline) {
    const auto budget_ms = options_.deadline.count();
    // libpq's own connect_timeout (whole seconds, at least 2) is a backstop only: the deadline
    // bounds the connect (pq::connect).
    const std::string connect_timeout = std::to_string(std::max<long long>(2, (budget_ms + 999) / 1000));
    const std::string user_timeout = std::to_string(budget_ms);
    // Custom plans for every execution of a prepared statement: the stores' optional filters
    // ("(col = $n OR $n IS NULL)") fold away only when the planner sees the values; a generic plan
    // (PostgreSQL's choice after five executions) cannot use an index for them (docs/performance.md).
    const std::string session_options = "-c TimeZone=UTC -c plan_cache_mode=force_custom_plan -c statement_timeout=" +
                                        std::to_string(budget_ms) +
                                        " -c client_connection_check_interval=" + kClientCheckIntervalMs;
    // Keywords after "dbname" (the expanded URL) override it, so the password secret wins over
    // any password in the URL. An empty value would make libpq fall back to PGPASSWORD: omitted.
    const std::optional<std::string> password = options_.password ? options_.password() : std::nullopt;
    const bool with_password = password && !password->empty();
    const char* keys[] = {"dbname",
                          "connect_timeout",
                          "tcp_user_timeout",
                          "application_name",
                          "options",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          with_password ? "password" : nullptr,
                          nullptr};
    const char* values[] = {url_.c_str(),
                            connect_timeout.c_str(),
                            user_timeout.c_str(),
                            application_name,
                            session_options.c_str(),
                            "10",
                            "5",
                            "2",
                            with_password ? password->c_str() : nullptr,
                            nullptr};
    pq::Outcome outcome = pq::Outcome::kOk;
    std::string message;
    PGconn* conn = pq::connect(keys, values, deadline, outcome, message);
    if (conn) return conn;
    // libpq's message may name the host but never the password; log it, return nothing of it.
    spdlog::error("postgres connect failed: {}", message);
    if (outcome == pq::Outcome::kExpired) {
      return fail(Error::deadlineExceeded("The database did not answer in time", kRetryAfterDeadline)
                      .withInternalDetail("deadline: connect"));
    }
    return fail(Error::unavailable("Database unavailable", 1));
  }

  Status transaction(const Deadline& deadline, const char* begin, const char* lock_sql,
                     const std::function<Status(SqlSession&)>& work, bool& retryable) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire(deadline));
    PostgresConnection& c = *lease;
    FRAUDGOV_RETURN_IF_ERROR(c.plain(begin));
    Status status = lock_sql ? c.plain(lock_sql) : Status{};
    if (status) status = work(c);
    if (status) {
      status = c.plain("COMMIT");
      if (status) return status;
    }
    retryable = c.retryable();
    c.abandon();
    return status;
  }

  std::string url_;
  DatabaseOptions options_;
  NamedLockSlots named_lock_slots_;
  ChangeListener changes_;  // last: its thread uses connectRaw(), so it must stop first
};

}  // namespace

Result<std::unique_ptr<Database>> openPostgres(const std::string& url, const DatabaseOptions& options) {
  auto db = std::make_unique<PostgresDatabase>(url, options);
  FRAUDGOV_RETURN_IF_ERROR(db->checkReady(Deadline::after(options.deadline)));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fraudgov::store
