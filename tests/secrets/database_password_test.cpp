// DATABASE_PASSWORD reaches PostgreSQL: a minimal server speaking the start of the PostgreSQL
// wire protocol asks libpq for a cleartext password and records what arrives. (The throwaway
// test cluster trusts every local connection, so it could not tell.)
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "store/database.h"

namespace fraudgov {
namespace {

constexpr std::uint32_t kSslRequest = 80877103;
constexpr std::uint32_t kGssEncRequest = 80877104;

bool readExactly(int fd, void* buffer, std::size_t n) {
  auto* p = static_cast<char*>(buffer);
  while (n > 0) {
    const auto got = ::recv(fd, p, n, 0);
    if (got <= 0) return false;
    p += got;
    n -= static_cast<std::size_t>(got);
  }
  return true;
}

void sendAll(int fd, const std::string& bytes) { (void)!::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

std::string int32(std::uint32_t v) {
  const std::uint32_t n = htonl(v);
  return std::string(reinterpret_cast<const char*>(&n), 4);
}

// Accepts connections, asks each for a cleartext password, records it and refuses the login.
class PasswordCapturingServer {
 public:
  PasswordCapturingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::listen(fd_, 8);
    thread_ = std::thread([this] { loop(); });
  }
  ~PasswordCapturingServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  unsigned short port() const { return port_; }
  std::vector<std::string> passwords() {
    std::lock_guard lock(mu_);
    return passwords_;
  }

 private:
  void loop() {
    while (!stopping_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      serve(c);
      ::close(c);
    }
  }

  void serve(int c) {
    for (;;) {  // SSL / GSS encryption requests are declined, then the startup packet follows
      std::uint32_t header[2];
      if (!readExactly(c, header, sizeof header)) return;
      const std::uint32_t length = ntohl(header[0]);
      const std::uint32_t code = ntohl(header[1]);
      if (length == 8 && (code == kSslRequest || code == kGssEncRequest)) {
        sendAll(c, "N");
        continue;
      }
      if (length < 8 || length > 10000) return;
      std::string rest(length - 8, '\0');
      if (!readExactly(c, rest.data(), rest.size())) return;
      break;
    }
    sendAll(c, "R" + int32(8) + int32(3));  // AuthenticationCleartextPassword
    char type = 0;
    std::uint32_t length = 0;
    if (!readExactly(c, &type, 1) || type != 'p' || !readExactly(c, &length, 4)) return;
    length = ntohl(length);
    if (length < 5 || length > 10000) return;
    std::string password(length - 4, '\0');
    if (!readExactly(c, password.data(), password.size())) return;
    if (!password.empty() && password.back() == '\0') password.pop_back();
    {
      std::lock_guard lock(mu_);
      passwords_.push_back(password);
    }
    const std::string fields =
        std::string("SFATAL") + '\0' + "C28P01" + '\0' + "Mpassword authentication failed" + '\0' + '\0';
    sendAll(c, "E" + int32(static_cast<std::uint32_t>(fields.size() + 4)) + fields);
  }

  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> passwords_;
};

std::string url(unsigned short port, const std::string& userinfo) {
  return "postgresql://" + userinfo + "@127.0.0.1:" + std::to_string(port) +
         "/fraudgov?sslmode=disable&gssencmode=disable";
}

TEST(DatabasePassword, TheSecretIsSentToPostgresAndWinsOverTheUrl) {
  PasswordCapturingServer server;
  store::DatabaseOptions options;
  options.pool_size = 1;
  options.password = [] { return std::optional<std::string>("pw-from-secret-store"); };
  auto db = store::openDatabase(url(server.port(), "fraudgov"), options);
  ASSERT_FALSE(db) << "the fake server refuses every login";
  EXPECT_EQ(db.error().message.find("pw-from"), std::string::npos) << db.error().message;

  auto overridden = store::openDatabase(url(server.port(), "fraudgov:url-password"), options);
  ASSERT_FALSE(overridden);

  store::DatabaseOptions without;
  without.pool_size = 1;
  without.password = [] { return std::optional<std::string>(); };
  ASSERT_FALSE(store::openDatabase(url(server.port(), "fraudgov:url-password"), without));

  const auto seen = server.passwords();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "pw-from-secret-store");
  EXPECT_EQ(seen[1], "pw-from-secret-store") << "the secret overrides a password in the URL";
  EXPECT_EQ(seen[2], "url-password") << "no secret: the URL decides (proves the fake server reads passwords)";
}

TEST(DatabasePassword, ARotatedPasswordIsUsedByTheNextConnection) {
  PasswordCapturingServer server;
  auto current = std::make_shared<std::string>("first-password");
  store::DatabaseOptions options;
  options.pool_size = 1;
  options.password = [current] { return std::optional<std::string>(*current); };
  ASSERT_FALSE(store::openDatabase(url(server.port(), "fraudgov"), options));
  *current = "second-password";
  ASSERT_FALSE(store::openDatabase(url(server.port(), "fraudgov"), options));
  const auto seen = server.passwords();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "first-password");
  EXPECT_EQ(seen[1], "second-password");
}

}  // namespace
}  // namespace fraudgov
