#pragma once
// The Idempotency-Key request header on POSTs (SPEC §3 invariant 8): the first request with a
// key runs; a replay of the same request returns the stored first response; the same key with
// a different request is refused (422); a replay while the first is still running gets 409 with
// Retry-After. Keys are scoped to the caller (issuer, subject) and remembered for 24 hours (the
// runtime's maintenance task purges older ones, never a request). Only mutations pass through
// here (RouteTable: POSTs under a read permission, e.g. simulate, do not), and only responses up
// to 64 KiB are stored: for a larger one the key is released, so a replay executes the request
// again.
//
// A claim is a lease (issue 11 item 6, store/idempotency_store.h): if the process dies mid-request,
// the key answers 409 until the lease (IDEMPOTENCY_LEASE_SECONDS) ends, and then a retry of the
// same request takes the claim over and runs it. A completion that cannot be recorded is logged
// and counted (fraudgov_idempotency_completion_failures_total), and the client still gets the
// real answer of the request that ran.

#include <chrono>

#include "api/guard.h"
#include "api/object_reader.h"
#include "api/query_params.h"
#include "api/request_body.h"
#include "api/route_handler.h"
#include "observability/telemetry.h"
#include "store/database.h"

namespace fraudgov::api {

class IdempotencyGate {
 public:
  // `telemetry` (clock for leases, logger, metrics) must outlive the gate.
  IdempotencyGate(store::Database& db, const Guard& guard, observability::Telemetry& telemetry,
                  std::chrono::seconds lease)
      : db_(db), guard_(guard), telemetry_(telemetry), lease_(lease) {}
  http::Handler wrap(http::Handler inner) const;

 private:
  http::Response run(http::Request& request, const http::Handler& inner) const;

  store::Database& db_;
  const Guard& guard_;
  observability::Telemetry& telemetry_;
  const std::chrono::seconds lease_;
};

}  // namespace fraudgov::api
