#pragma once
// A pool of sessions with transaction boundaries. Every governance mutation runs in one write
// transaction together with its audit rows; write transactions are serialized store-wide
// (BEGIN IMMEDIATE on SQLite, a transaction-scoped advisory lock on PostgreSQL) so version
// numbers, approval decisions and the audit hash chain stay strictly linear. Governance writes
// are human-paced; reads are not serialized and scale with the pool.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/deadline.h"
#include "store/sql.h"

namespace fraudgov::store {

struct PoolStats {
  std::size_t size = 0;  // open connections
  std::size_t in_use = 0;
  std::size_t capacity = 0;
  std::uint64_t waits_timed_out = 0;
};

struct DatabaseOptions {
  std::size_t pool_size = 8;
  // DATABASE_DEADLINE_MS: the budget of one write(), read() or withSession() call, waiting for a
  // pooled connection and connecting included. PostgreSQL also gets it as statement_timeout, so
  // the server gives up on a statement the client has given up on.
  std::chrono::milliseconds deadline{5000};
  // PostgreSQL password (the DATABASE_PASSWORD secret), asked at every new connection so a
  // rotated password (SIGHUP) is used from then on; overrides one in the URL. Unset or nullopt:
  // the URL / libpq defaults decide.
  std::function<std::optional<std::string>()> password;
};

// A named lock held until destroyed (Database::lockNamed).
class NamedLock {
 public:
  virtual ~NamedLock() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual Status write(const std::function<Status(SqlSession&)>& work) = 0;
  virtual Status read(const std::function<Status(SqlSession&)>& work) = 0;
  // No transaction: for migrations, which manage their own.
  virtual Status withSession(const std::function<Status(SqlSession&)>& work) = 0;
  // Readiness within `deadline`: the database answers a trivial query; and while a write has
  // failed because storage cannot be written (kStorageUnavailable), a small write probe must
  // succeed too, so readiness is red while writes fail and green again as soon as the storage
  // recovers, whether or not a client write comes first.
  virtual Status checkReady(Deadline deadline) = 0;
  virtual PoolStats poolStats() const = 0;
  // For read caches: a value that differs from every earlier one once data committed by anyone
  // (this process, another instance, an operator with psql) may have changed; nullopt while the
  // backend cannot tell, and then nothing may be served from a cache. The first call starts the
  // watching, so it may answer nullopt.
  virtual std::optional<std::uint64_t> changeStamp() = 0;
  // Serializes work on one name (a publication scope) that must NOT run under the store-wide
  // write lock because it waits on the network (uploads to the object store): holders of
  // different names, and every write transaction, proceed meanwhile. Waits at most until
  // `deadline` (then kDeadlineExceeded); released when the returned guard is destroyed.
  // PostgreSQL: a session-level advisory lock (two-int key space, so never the write lock) on a
  // pooled connection held for the guard's lifetime, shared by every instance on the database.
  // SQLite: a mutex per name in this process only; several processes writing one SQLite file
  // are not a supported deployment (docs/operations.md).
  virtual Result<std::unique_ptr<NamedLock>> lockNamed(std::string_view name, Deadline deadline) = 0;
};

// "sqlite:<path>" or "postgresql://..." / "postgres://...".
Result<std::unique_ptr<Database>> openDatabase(const std::string& url, const DatabaseOptions& options);

namespace detail {
// The one body behind inWrite/inStatement/inRead: they differ only in which Database entry point
// (write transaction, bare session, read transaction) runs fn, so that member is the parameter.
template <class F>
auto runIn(Database& db, Status (Database::*entry)(const std::function<Status(SqlSession&)>&), F&& fn)
    -> decltype(fn(std::declval<SqlSession&>())) {
  std::optional<decltype(fn(std::declval<SqlSession&>()))> out;
  Status status = (db.*entry)([&](SqlSession& s) -> Status {
    out.emplace(fn(s));
    if (!*out) return fail(out->error());
    return {};
  });
  if (!status) return fail(std::move(status).error());
  return std::move(*out);
}
}  // namespace detail

// Runs fn (SqlSession&) -> Result<T> in a write / read transaction and returns its result.
template <class F>
auto inWrite(Database& db, F&& fn) -> decltype(fn(std::declval<SqlSession&>())) {
  return detail::runIn(db, &Database::write, std::forward<F>(fn));
}

// For reads that are ONE statement: a statement is its own consistent snapshot, so the
// BEGIN/COMMIT round trips of inRead() would buy nothing (they cost two thirds of a list's time).
template <class F>
auto inStatement(Database& db, F&& fn) -> decltype(fn(std::declval<SqlSession&>())) {
  return detail::runIn(db, &Database::withSession, std::forward<F>(fn));
}

template <class F>
auto inRead(Database& db, F&& fn) -> decltype(fn(std::declval<SqlSession&>())) {
  return detail::runIn(db, &Database::read, std::forward<F>(fn));
}

}  // namespace fraudgov::store
