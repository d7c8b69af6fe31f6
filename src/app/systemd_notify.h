#pragma once
// The sd_notify protocol without libsystemd: one datagram of "KEY=VALUE" lines to the socket
// named by $NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). It lets
// fraudgov.service use Type=notify, so systemd orders dependants after the listener is bound and
// the identity provider's keys were fetched, and knows when a SIGHUP reload has finished.

#include <string_view>

namespace fraudgov::app::systemd {

// Sends `state` (e.g. "READY=1"); false when not run under a service manager or when sending
// failed. Never throws: a broken notification socket must not take the server down.
bool notify(std::string_view state);

// RELOADING=1 with the MONOTONIC_USEC stamp newer service managers expect.
bool notifyReloading();

}  // namespace fraudgov::app::systemd
