#pragma once
// Runs the built clarity-connect as a child process with captured stdout/stderr.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace clarity::test {

struct ChildResult {
    int exit_code = -1;  ///< -1 when killed by a signal or timed out
    std::string out;
    std::string err;
};

class Child {
  public:
    /// Starts `argv` (argv[0] is the path) with `env` added to this process's environment.
    Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~Child();  ///< kills the child if it still runs
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return pid_; }
    void signal(int sig);
    /// Waits for exit (killing the child after `timeout`) and collects its output.
    ChildResult wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    int err_fd_ = -1;
};

/// Runs to completion.
ChildResult run_child(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env = {});

}  // namespace clarity::test
