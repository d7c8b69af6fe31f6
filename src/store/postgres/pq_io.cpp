#include "store/postgres/pq_io.h"

#include <poll.h>

#include <cerrno>

namespace fraudgov::store::pq {

namespace {

// Ready (or an error/hang-up the next libpq call will report) before the deadline?
Outcome waitSocket(PGconn* conn, bool for_read, bool for_write, const Deadline& deadline) {
  const int fd = PQsocket(conn);
  if (fd < 0) return Outcome::kLost;
  pollfd p{fd, static_cast<short>((for_read ? POLLIN : 0) | (for_write ? POLLOUT : 0)), 0};
  for (;;) {
    const int ready = ::poll(&p, 1, deadline.remainingMs());
    if (ready > 0) return Outcome::kOk;
    if (ready == 0) return Outcome::kExpired;
    if (errno != EINTR) return Outcome::kLost;
  }
}

bool isError(const PGresult* r) {
  const auto status = PQresultStatus(r);
  return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY;
}

}  // namespace

PGconn* connect(const char* const* keys, const char* const* values, const Deadline& deadline, Outcome& outcome,
                std::string& message) {
  PGconn* conn = PQconnectStartParams(keys, values, 1);
  if (!conn) {
    outcome = Outcome::kLost;
    message = "out of memory";
    return nullptr;
  }
  // libpq's protocol: start as if PQconnectPoll had asked to write.
  PostgresPollingStatusType state = PQstatus(conn) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) {
      outcome = Outcome::kLost;
      message = PQerrorMessage(conn);
      PQfinish(conn);
      return nullptr;
    }
    const Outcome waited = waitSocket(conn, state == PGRES_POLLING_READING, state == PGRES_POLLING_WRITING, deadline);
    if (waited != Outcome::kOk) {
      outcome = waited;
      message = waited == Outcome::kExpired ? "no answer before the deadline" : PQerrorMessage(conn);
      PQfinish(conn);
      return nullptr;
    }
    state = PQconnectPoll(conn);
  }
  if (PQsetnonblocking(conn, 1) != 0) {
    outcome = Outcome::kLost;
    message = PQerrorMessage(conn);
    PQfinish(conn);
    return nullptr;
  }
  outcome = Outcome::kOk;
  return conn;
}

Outcome finish(PGconn* conn, const Deadline& deadline, ResultPtr& result) {
  // Sending: PQflush returns 1 while data is left; the server may need us to read first.
  for (;;) {
    const int flushed = PQflush(conn);
    if (flushed == 0) break;
    if (flushed < 0) return Outcome::kLost;
    const Outcome waited = waitSocket(conn, true, true, deadline);
    if (waited != Outcome::kOk) return waited;
    if (PQconsumeInput(conn) == 0) return Outcome::kLost;
  }
  ResultPtr kept(nullptr, &PQclear);
  for (;;) {
    while (PQisBusy(conn)) {
      const Outcome waited = waitSocket(conn, true, false, deadline);
      if (waited != Outcome::kOk) return waited;
      if (PQconsumeInput(conn) == 0) return Outcome::kLost;
    }
    ResultPtr next(PQgetResult(conn), &PQclear);
    if (!next) break;
    if (!kept || !isError(kept.get())) kept = std::move(next);
  }
  result = std::move(kept);
  return Outcome::kOk;
}

}  // namespace fraudgov::store::pq
