// The sd_notify datagrams fraudgov.service (Type=notify) relies on, received by a fake service
// manager on a path socket and on an abstract one.
#include "app/systemd_notify.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace fraudgov::app {
namespace {

class FakeManager {
 public:
  // `name` is a path, or an abstract name written with a leading '@' as in $NOTIFY_SOCKET.
  explicit FakeManager(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0;
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  }
  ~FakeManager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
  }
  bool bound() const { return bound_; }
  std::string receive() {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n < 0 ? std::string("<nothing>") : std::string(buffer, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
  bool bound_ = false;
};

TEST(SystemdNotify, WithoutAServiceManagerNothingIsSent) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(systemd::notify("READY=1"));
  ::setenv("NOTIFY_SOCKET", "relative/path", 1);  // neither a path nor an abstract name
  EXPECT_FALSE(systemd::notify("READY=1"));
  ::unsetenv("NOTIFY_SOCKET");
}

TEST(SystemdNotify, PathSocket) {
  const auto dir = std::filesystem::temp_directory_path() / ("fraudgov-notify-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    FakeManager manager((dir / "notify").string());
    ASSERT_TRUE(manager.bound());
    ASSERT_TRUE(systemd::notify("READY=1\nSTATUS=serving"));
    EXPECT_EQ(manager.receive(), "READY=1\nSTATUS=serving");
  }
  std::filesystem::remove_all(dir);
}

TEST(SystemdNotify, AbstractSocketAndReloading) {
  FakeManager manager("@fraudgov-notify-test-" + std::to_string(::getpid()));
  ASSERT_TRUE(manager.bound());
  ASSERT_TRUE(systemd::notifyReloading());
  const std::string reloading = manager.receive();
  EXPECT_EQ(reloading.rfind("RELOADING=1\nMONOTONIC_USEC=", 0), 0u) << reloading;
  EXPECT_GT(std::stoull(reloading.substr(reloading.find('=', 12) + 1)), 0u);
  ASSERT_TRUE(systemd::notify("STOPPING=1"));
  EXPECT_EQ(manager.receive(), "STOPPING=1");
}

}  // namespace
}  // namespace fraudgov::app
