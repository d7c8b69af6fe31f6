#pragma once
// libpq without ever blocking on the server: connecting (PQconnectStartParams/PQconnectPoll)
// and every command (PQsend*, PQflush, PQconsumeInput, PQisBusy) wait in poll(2) on the
// connection's socket, at most until a Deadline. A frozen server (SIGSTOP: the kernel still
// accepts connections and ACKs data, so neither TCP keepalives nor tcp_user_timeout notice) or
// a partitioned one then costs the caller the deadline, not a hang.
//
// There is no PQcancel on expiry: libpq 15's PQcancel connects and waits for the server's reply
// with no timeout of its own, so against a frozen server it would hang exactly where we must
// not. The caller closes the connection instead; the server aborts the transaction when it
// notices (at once when it runs again; for a statement still running, within
// client_connection_check_interval, which connections set).
//
// Host names are resolved by libpq inside PQconnectStartParams (getaddrinfo, not bounded by the
// deadline); give the database an address or a name the local resolver answers.

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "common/deadline.h"

namespace fraudgov::store::pq {

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

enum class Outcome {
  kOk,
  kExpired,  // the deadline passed first: the connection is in an unknown state, discard it
  kLost,     // the connection failed (PQerrorMessage says why)
};

// A connection in non-blocking mode, or nullptr with `outcome` and a loggable `message` (libpq's
// text may name the host, never the password).
PGconn* connect(const char* const* keys, const char* const* values, const Deadline& deadline, Outcome& outcome,
                std::string& message);

// After a PQsend* call succeeded: sends what is buffered, then reads every result of the command.
// The first error result wins, otherwise the last result is kept in `result`.
Outcome finish(PGconn* conn, const Deadline& deadline, ResultPtr& result);

}  // namespace fraudgov::store::pq
