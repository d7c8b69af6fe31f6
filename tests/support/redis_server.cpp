#include "support/redis_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "support/loopback.h"
#include "support/poll.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {

std::string respCommand(std::initializer_list<std::string> args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

}  // namespace

bool redisPing(unsigned short port, const std::optional<std::string>& password) {
  const int fd = connectLoopback(port, 1);
  if (fd < 0) return false;
  std::string request;
  if (password) request += respCommand({"AUTH", *password});
  request += respCommand({"PING"});
  const bool sent = ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
  std::string reply;
  char buf[256];
  while (sent && reply.find("PONG") == std::string::npos && reply.find("-") == std::string::npos) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply.find("+PONG") != std::string::npos;
}

RedisServer::RedisServer(Options options) : port_(options.port ? options.port : freePort()) {
  const std::string dir = makeTempDir("redis");
  std::vector<std::string> args = {
      "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save",          "", "--appendonly", "no", "--dir",
      dir,      "--daemonize",         "no",     "--logfile", dir + "/redis.log"};
  if (options.password) {
    args.push_back("--requirepass");
    args.push_back(*options.password);
  }
  process_ = std::make_unique<ChildProcess>("/usr/bin/redis-server", args, std::map<std::string, std::string>{});
  bool exited = false;
  ready_ = pollUntil(
      [&] {
        exited = !process_->running();
        return exited || redisPing(port_, options.password);
      },
      std::chrono::seconds(10), std::chrono::milliseconds(20));
  ready_ = ready_ && !exited;
  if (ready_) return;
  ADD_FAILURE() << "redis-server did not start on port " << port_ << ": " << process_->stderrText()
                << process_->stdoutText();
}

RedisServer::~RedisServer() { kill(); }

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

void RedisServer::kill() {
  if (process_ && process_->running()) {
    process_->signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
  }
}

bool RedisServer::running() { return process_ && process_->running(); }

}  // namespace fraudgov::testing
