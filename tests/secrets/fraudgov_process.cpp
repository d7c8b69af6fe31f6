#include "fraudgov_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "common/text.h"
#include "support/loopback.h"
#include "support/poll.h"
#include "support/test_env.h"
#include "support/token_factory.h"

namespace fraudgov::testing {

FraudgovProcess::FraudgovProcess(const std::map<std::string, std::string>& extra_env) {
  idp_ = std::make_unique<MiniHttpServer>([](const MiniRequest&) {
    return MiniResponse::json(TokenFactory::get().jwks({TestKey::kRsa, TestKey::kEc}));
  });
  port_ = freePort();
  auto env = testEnvironment(idp_->url("/.well-known/jwks.json"));
  var_dir_ = env["FRAUDGOV_VAR_DIR"];
  env["HTTP_PORT"] = std::to_string(port_);
  env["DATABASE_URL"] = "sqlite:" + var_dir_ + "/fraudgov.db";
  env["LOG_LEVEL"] = "debug";  // the most output there is to scan
  for (const auto& [k, v] : extra_env) env[k] = v;
  child_ = std::make_unique<ChildProcess>(binaryPath("fraudgov"), std::vector<std::string>{"serve"}, env);
  const std::string base = "http://127.0.0.1:" + std::to_string(port_);
  if (!waitForHttp(base + "/api/v1/health", std::chrono::seconds(30))) {
    const auto code = child_->wait(std::chrono::milliseconds(100));
    start_error_ = "fraudgov did not start; exit " +
                   (code ? std::to_string(*code) : std::string("none (still running)")) + "; stderr:\n" +
                   child_->stderrText() + "\nstdout:\n" + child_->stdoutText();
  }
}

FraudgovProcess::~FraudgovProcess() {
  child_.reset();
  idp_->stop();
}

HttpResult FraudgovProcess::send(const std::string& method, const std::string& path, const net::HeaderList& headers,
                                 const std::string& body) {
  net::OutboundRequest request;
  request.method = method;
  request.url = "http://127.0.0.1:" + std::to_string(port_) + path;
  request.headers = headers;
  request.body = body;
  request.timeout = std::chrono::seconds(20);
  HttpResult out;
  auto response = client_.send(request);
  if (!response) {
    ADD_FAILURE() << method << " " << path << ": " << response.error().message;
    return out;
  }
  out.status = response->status;
  out.body = response->body;
  out.headers = response->headers;
  transcript_ += method + " " + path + " -> " + std::to_string(out.status) + "\n";
  for (const auto& [name, value] : out.headers) transcript_ += name + ": " + value + "\n";
  transcript_ += out.body + "\n\n";
  return out;
}

HttpResult FraudgovProcess::health(const std::string& token) {
  net::HeaderList headers;
  if (!token.empty()) headers.emplace_back("X-Health-Token", token);
  return send("GET", "/api/v1/health", headers);
}

std::string FraudgovProcess::token(const std::string& subject, const std::vector<std::string>& permissions) {
  auto claims = TokenFactory::claims(kTestIssuer, kTestAudience, subject);
  boost::json::array perms;
  for (const auto& p : permissions) perms.emplace_back(p);
  claims["permissions"] = std::move(perms);
  return TokenFactory::get().rs256(claims);
}

std::optional<int> FraudgovProcess::terminate() {
  child_->signal(SIGTERM);
  return child_->wait(std::chrono::seconds(20));
}

RawConnection::RawConnection(unsigned short port) : fd_(connectLoopback(port, 15)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::sendText(const std::string& bytes) {
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

HttpResult RawConnection::readResponse() {
  HttpResult out;
  char chunk[4096];
  for (;;) {
    const auto header_end = buffer_.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      const std::string head = text::toLower(buffer_.substr(0, header_end));
      const auto cl = head.find("content-length:");
      const std::size_t length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
      if (buffer_.size() >= header_end + 4 + length) {
        out.status = std::stol(buffer_.substr(9, 3));
        std::size_t line = buffer_.find("\r\n") + 2;
        while (line < header_end) {
          const auto next = buffer_.find("\r\n", line);
          const std::string h = buffer_.substr(line, next - line);
          const auto colon = h.find(':');
          if (colon != std::string::npos) {
            out.headers.emplace_back(h.substr(0, colon), std::string(text::trim(h.substr(colon + 1))));
          }
          line = next + 2;
        }
        out.body = buffer_.substr(header_end + 4, length);
        buffer_.erase(0, header_end + 4 + length);
        return out;
      }
    }
    if (fd_ < 0) return out;
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return out;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

bool waitForOutput(ChildProcess& child, const std::string& text, std::chrono::milliseconds timeout) {
  return pollUntil([&] { return child.stdoutText().find(text) != std::string::npos; }, timeout,
                   std::chrono::milliseconds(20));
}

std::string readTree(const std::string& dir) {
  std::string all;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    all.push_back('\n');
  }
  return all;
}

void writeAtomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".new";
  std::ofstream(temporary, std::ios::binary | std::ios::trunc) << content << "\n";
  std::filesystem::rename(temporary, path);
}

}  // namespace fraudgov::testing
