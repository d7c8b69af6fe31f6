#include "support/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "net/http_client.h"
#include "support/poll.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
  const std::string dir = makeTempDir("proc");
  out_path_ = dir + "/stdout";
  err_path_ = dir + "/stderr";
  std::vector<std::string> argv_storage{program};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<std::string> env_storage{"PATH=/usr/local/bin:/usr/bin:/bin"};
  for (const auto& [k, v] : env) env_storage.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (running()) {
    signal(SIGKILL);
    wait(std::chrono::seconds(5));
  }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  // Checks at least once, so wait(0ms) polls.
  pollUntil(
      [&] {
        int status = 0;
        if (exit_code_ || ::waitpid(pid_, &status, WNOHANG) != pid_) return exit_code_.has_value();
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      },
      timeout, std::chrono::milliseconds(20));
  return exit_code_;
}

bool ChildProcess::running() { return !exit_code_ && !wait(std::chrono::milliseconds(0)); }
void ChildProcess::signal(int signo) { ::kill(pid_, signo); }
std::string ChildProcess::stdoutText() const { return slurp(out_path_); }
std::string ChildProcess::stderrText() const { return slurp(err_path_); }

std::string binaryPath(const std::string& name) { return buildDir() + "/bin/" + name; }

unsigned short freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool waitForHttp(const std::string& url, std::chrono::milliseconds timeout) {
  net::CurlHttpClient client;
  return pollUntil(
      [&] {
        net::OutboundRequest request;
        request.url = url;
        request.timeout = std::chrono::milliseconds(500);
        return client.send(request).has_value();
      },
      timeout, std::chrono::milliseconds(50));
}

}  // namespace fraudgov::testing
