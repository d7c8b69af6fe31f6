#pragma once
// Runs one of our binaries as a child process with a controlled environment, capturing its
// output — for tests of what only a real process shows (exit codes, signals, startup refusals).

#include <sys/types.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fraudgov::testing {

class ChildProcess {
 public:
  // env replaces the environment entirely (plus PATH), so the parent's variables cannot leak in.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Exit code, or nullopt if it did not exit in time. A signal death returns 128 + signo.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  void signal(int signo);
  std::string stdoutText() const;
  std::string stderrText() const;
  bool running();

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_, err_path_;
};

std::string binaryPath(const std::string& name);  // build/bin/<name>
unsigned short freePort();
// Polls GET url until it answers (any status) or the timeout passes.
bool waitForHttp(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace fraudgov::testing
