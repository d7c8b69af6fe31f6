#pragma once
// TCP connections to our own test peers on 127.0.0.1.

namespace fraudgov::testing {

// A connected socket to 127.0.0.1:port (optionally with send/receive timeouts), or -1.
int connectLoopback(unsigned short port, int timeout_seconds = 0);
// Whether something accepts connections on 127.0.0.1:port right now.
bool acceptsTcp(unsigned short port);

}  // namespace fraudgov::testing
