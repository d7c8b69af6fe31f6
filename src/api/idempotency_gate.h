#pragma once
// The Idempotency-Key request header on POSTs (SPEC §3 invariant 8): the first request with a
// key runs; a replay of the same request returns the stored first response; the same key with
// a different request is refused (422); a replay while the first is still running gets 409.
// Keys are scoped to the caller (issuer, subject) and remembered for 24 hours. Only mutations
// pass through here (RouteTable: POSTs under a read permission, e.g. simulate, do not), and
// only responses up to 64 KiB are stored: for a larger one the key is released, so a replay
// executes the request again.

#include "api/guard.h"
#include "api/object_reader.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_handler.h"
#include "common/clock.h"
#include "store/database.h"

namespace fraudgov::api {

class IdempotencyGate {
 public:
  // `clock` dates the 24-hour retention; it must outlive the gate.
  IdempotencyGate(store::Database& db, const Guard& guard, const Clock& clock = systemClock())
      : db_(db), guard_(guard), clock_(clock) {}
  http::Handler wrap(http::Handler inner) const;

 private:
  http::Response run(http::Request& request, const http::Handler& inner) const;

  store::Database& db_;
  const Guard& guard_;
  const Clock& clock_;
};

}  // namespace fraudgov::api
