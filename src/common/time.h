#pragma once
// UTC instants with microsecond precision, and their ISO-8601 text forms.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fraudgov {

struct Timestamp {
  std::int64_t micros = 0;  // since 1970-01-01T00:00:00Z
  auto operator<=>(const Timestamp&) const = default;
};

// The current time, read per call (never cached per process). Code that decides by time reads an
// injected Clock (common/clock.h) instead, so tests can move time; this is what SystemClock reads.
Timestamp nowUtc();

// 2026-01-15T10:30:00.123456Z, fraction omitted when zero (the API's output form).
std::string formatIso(Timestamp t);
// Fixed width 2026-01-15T10:30:00.123456Z: sorts lexically in time order (storage form).
std::string formatIsoFixed(Timestamp t);

// Accepts YYYY-MM-DD, YYYY-MM-DD[T| ]hh:mm[:ss[.f{1,9}]] with optional Z or ±hh[:]mm.
// Values without an offset are taken as UTC. Returns nullopt on anything else.
std::optional<Timestamp> parseIso(std::string_view text);

}  // namespace fraudgov
