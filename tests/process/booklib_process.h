// A booklib process started by an end-to-end test: its own environment on top of the test's, output
// to a file, waits with deadlines, and killed with the test (even when the test itself is killed).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace booklib::test {

// Polls `done` every 50 ms until it holds or `timeout` passes; returns its last value.
template <class Predicate>
bool WaitUntil(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return done();
}

class BooklibProcess {
 public:
  using Environment = std::map<std::string, std::string>;

  // Runs `args` (args[0] is the program's path) with the test's environment, where `environment`
  // adds or replaces variables; stdout and stderr go to `output_path`. The child gets SIGKILL when
  // the thread that started it ends, so a test killed by a timeout leaves no server behind.
  BooklibProcess(const std::vector<std::string>& args, std::string output_path,
                 const Environment& environment = {})
      : output_path_(std::move(output_path)) {
    std::vector<std::string> env_entries;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      if (!environment.contains(text.substr(0, text.find('=')))) env_entries.push_back(text);
    }
    for (const auto& [name, value] : environment) env_entries.push_back(name + "=" + value);
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& entry : env_entries) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);

    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ != 0) return;  // parent (or fork failed: pid_ == -1)
    // Child: only async-signal-safe calls until execve.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    const int out = ::open(output_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) ::_exit(127);
    ::dup2(out, 1);
    ::dup2(out, 2);
    // Not the test's sockets (fake servers, connections): a fake server's port must close with it.
    if (::close_range(3, ~0U, 0) != 0)
      for (int fd = 3; fd < 4096; ++fd) ::close(fd);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ~BooklibProcess() { Kill(SIGKILL); }
  BooklibProcess(const BooklibProcess&) = delete;
  BooklibProcess& operator=(const BooklibProcess&) = delete;

  bool Started() const { return pid_ > 0 || exit_code_.has_value(); }

  std::string Output() const {
    std::ifstream in(output_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Waits until the output matches `pattern`; returns the first submatch (the whole match if the
  // pattern has no group), or nullopt when `timeout` passes or the process exits without it.
  std::optional<std::string> WaitForOutput(const std::regex& pattern, std::chrono::milliseconds timeout) {
    std::optional<std::string> found;
    WaitUntil(
        [&] {
          const std::string output = Output();
          std::smatch match;
          if (std::regex_search(output, match, pattern)) found = match[match.size() > 1 ? 1 : 0].str();
          return found.has_value() || HasExited();
        },
        timeout);
    if (!found) {  // it may have written the line just before exiting
      const std::string output = Output();
      std::smatch match;
      if (std::regex_search(output, match, pattern)) found = match[match.size() > 1 ? 1 : 0].str();
    }
    return found;
  }

  // Waits for the process to end by itself: its exit code (128 + signal when killed by one), or
  // nullopt when it is still running after `timeout`.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout) {
    WaitUntil([&] { return HasExited(); }, timeout);
    return exit_code_;
  }

  // Sends `signal` if it is still running and reaps it; returns the exit code as WaitForExit does.
  int Kill(int signal) {
    if (pid_ > 0) {
      ::kill(pid_, signal);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      Reaped(status);
    }
    return exit_code_.value_or(-1);
  }

 private:
  bool HasExited() {
    if (pid_ <= 0) return exit_code_.has_value();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
    Reaped(status);
    return true;
  }
  void Reaped(int status) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
  }

  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string output_path_;
};

}  // namespace booklib::test
