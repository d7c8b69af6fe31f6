#include "store/postgres/postgres_database.h"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "store/connection_pool.h"
#include "store/postgres/change_listener.h"

namespace fraudgov::store {

namespace {

// SQLSTATEs we act on.
constexpr std::string_view kUniqueViolation = "23505";
constexpr std::string_view kCheckViolation = "23514";
constexpr std::string_view kForeignKeyViolation = "23503";
constexpr std::string_view kSerializationFailure = "40001";
constexpr std::string_view kDeadlock = "40P01";
constexpr std::string_view kQueryCanceled = "57014";

// An advisory lock id only fraudgov write transactions take (see database.h).
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(7316142985)";

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

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

std::string statementName(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a: names are derived, so two texts never share one
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return "fg_" + std::to_string(h);
}

class PostgresConnection final : public SqlSession {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }
  bool broken() const { return broken_ || PQstatus(conn_) != CONNECTION_OK; }
  bool retryable() const { return retryable_; }

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
    ResultPtr res(PQexec(conn_, std::string(script).c_str()), &PQclear);
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return fail(errorFor(res.get(), "script"));
    }
    return {};
  }

  Status plain(const char* text) {
    ResultPtr res(PQexec(conn_, text), &PQclear);
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(errorFor(res.get(), text));
    return {};
  }

 private:
  Result<ResultPtr> run(const Sql& sql, std::span<const SqlParam> params) {
    retryable_ = false;
    const std::string_view text = sql.textFor(Dialect::kPostgres);
    std::string name = statementName(text);
    if (!prepared_.contains(name)) {
      ResultPtr prep(PQprepare(conn_, name.c_str(), std::string(text).c_str(), 0, nullptr), &PQclear);
      if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK) return fail(errorFor(prep.get(), sql.name));
      prepared_.insert(name);
    }
    std::vector<std::string> values(params.size());
    std::vector<const char*> pointers(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      bool is_null = false;
      values[i] = paramText(params[i], is_null);
      pointers[i] = is_null ? nullptr : values[i].c_str();
    }
    ResultPtr res(
        PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), pointers.data(), nullptr, nullptr, 0),
        &PQclear);
    const auto status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return fail(errorFor(res.get(), sql.name));
    return res;
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
    spdlog::error("postgres {} failed [{}]: {}", what, sqlstate, PQresultErrorMessage(res));
    return Error::internal("database statement failed");
  }

  PGconn* conn_;
  std::unordered_set<std::string> prepared_;
  bool broken_ = false;
  bool retryable_ = false;
};

class PostgresDatabase final : public PooledDatabase<PostgresConnection> {
 public:
  PostgresDatabase(std::string url, DatabaseOptions options)
      : PooledDatabase(options, [this] { return connect(); }),
        url_(std::move(url)),
        options_(options),
        changes_([this] { return connectRaw("fraudgov-listener"); }) {}

  Dialect dialect() const override { return Dialect::kPostgres; }

  Status write(const std::function<Status(SqlSession&)>& work) override {
    // Serialization failures cannot happen under the write lock, but a failover can still
    // abort a transaction; retry those a couple of times.
    Status last;
    for (int attempt = 0; attempt < 3; ++attempt) {
      bool retryable = false;
      last = transaction("BEGIN ISOLATION LEVEL READ COMMITTED", kWriteLock, work, retryable);
      // Even a failed COMMIT may have committed; moving the stamp needlessly only costs a miss.
      changes_.noteLocalWrite();
      if (last || !retryable) return last;
    }
    return last;
  }

  std::optional<std::uint64_t> changeStamp() override { return changes_.stamp(); }

  Status read(const std::function<Status(SqlSession&)>& work) override {
    bool retryable = false;
    return transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", nullptr, work, retryable);
  }

 private:
  Result<std::unique_ptr<PostgresConnection>> connect() {
    PGconn* conn = connectRaw("fraudgov");
    if (!conn) return fail(Error::unavailable("Database unavailable", 1));
    return std::make_unique<PostgresConnection>(conn);
  }

  // A new connection, or nullptr (logged). TCP keepalives let the change listener notice a
  // vanished server within ~20 s even though it never sends anything itself.
  PGconn* connectRaw(const char* application_name) {
    const std::string timeout = std::to_string(options_.connect_timeout.count());
    // Custom plans for every execution of a prepared statement: the stores' optional filters
    // ("(col = $n OR $n IS NULL)") fold away only when the planner sees the values; a generic plan
    // (PostgreSQL's choice after five executions) cannot use an index for them (docs/performance.md).
    const std::string session_options = "-c TimeZone=UTC -c plan_cache_mode=force_custom_plan -c statement_timeout=" +
                                        std::to_string(options_.statement_timeout.count());
    // Keywords after "dbname" (the expanded URL) override it, so the password secret wins over
    // any password in the URL. An empty value would make libpq fall back to PGPASSWORD: omitted.
    const std::optional<std::string> password = options_.password ? options_.password() : std::nullopt;
    const bool with_password = password && !password->empty();
    const char* keys[] = {"dbname",
                          "connect_timeout",
                          "application_name",
                          "options",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          with_password ? "password" : nullptr,
                          nullptr};
    const char* values[] = {url_.c_str(),
                            timeout.c_str(),
                            application_name,
                            session_options.c_str(),
                            "10",
                            "5",
                            "2",
                            with_password ? password->c_str() : nullptr,
                            nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
      // libpq's message may name the host but never the password; log it, return nothing.
      spdlog::error("postgres connect failed: {}", conn ? PQerrorMessage(conn) : "out of memory");
      PQfinish(conn);
      return nullptr;
    }
    return conn;
  }

  Status transaction(const char* begin, const char* lock_sql, const std::function<Status(SqlSession&)>& work,
                     bool& retryable) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto lease, pool_.acquire());
    PostgresConnection& c = *lease;
    FRAUDGOV_RETURN_IF_ERROR(c.plain(begin));
    if (lock_sql) {
      if (auto locked = c.plain(lock_sql); !locked) {
        (void)c.plain("ROLLBACK");
        return locked;
      }
    }
    Status status = work(c);
    if (status) {
      status = c.plain("COMMIT");
      if (status) return status;
    }
    retryable = c.retryable();
    (void)c.plain("ROLLBACK");
    return status;
  }

  std::string url_;
  DatabaseOptions options_;
  ChangeListener changes_;  // last: its thread uses connectRaw(), so it must stop first
};

}  // namespace

Result<std::unique_ptr<Database>> openPostgres(const std::string& url, const DatabaseOptions& options) {
  auto db = std::make_unique<PostgresDatabase>(url, options);
  FRAUDGOV_RETURN_IF_ERROR(db->ping());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace fraudgov::store
