#include "app/systemd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace fraudgov::app::systemd {

bool notify(std::string_view state) {
  const char* socket_name = std::getenv("NOTIFY_SOCKET");
  if (!socket_name || (socket_name[0] != '/' && socket_name[0] != '@')) return false;
  const std::size_t name_length = std::strlen(socket_name);
  sockaddr_un address{};
  if (name_length < 2 || name_length >= sizeof(address.sun_path)) return false;
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_name, name_length);
  // An abstract socket's name starts with a NUL byte and is exactly as long as the address says.
  if (address.sun_path[0] == '@') address.sun_path[0] = '\0';
  const auto address_length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_length);

  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), address_length);
  ::close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

bool notifyReloading() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const auto usec =
      static_cast<unsigned long long>(now.tv_sec) * 1000000ULL + static_cast<unsigned long long>(now.tv_nsec) / 1000ULL;
  return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

}  // namespace fraudgov::app::systemd
