// A small fixed pool of threads for password hashing, admitting a bounded number of jobs at once.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/error.h"

namespace booklib {

// Why: a PBKDF2 hash of 600000 rounds takes about half a second of one core. Run on the server's
// few I/O threads, a burst of bad logins occupies all of them and every other request waits
// (/health went from 1 ms to 839 ms under 16 anonymous login loops). Here hashing runs on its
// own `threads`, and at most `threads + max_queued` callers are admitted at once; the caller
// blocks until its job is done, so an I/O thread is held only while its job is admitted. Make
// `threads + max_queued` smaller than the server's I/O threads and some I/O thread is always free
// for everything else; callers beyond the bound are refused at once instead of queueing without
// end.
// Thread-safe. The destructor finishes the admitted jobs, then joins the threads.
class HashingPool {
 public:
  // REQUIRES: threads >= 1, max_queued >= 0.
  HashingPool(int threads, int max_queued);
  ~HashingPool();
  HashingPool(const HashingPool&) = delete;
  HashingPool& operator=(const HashingPool&) = delete;

  // Runs `job` on a pool thread and returns when it has finished. kUnavailable, with
  // retry_after_seconds 1 and without running `job`, when threads + max_queued jobs are already
  // admitted.
  Result<void> Run(const std::function<void()>& job);

  // The most jobs that have run at the same moment so far (for tests of the bound).
  int PeakRunning() const;

 private:
  struct Job {
    const std::function<void()>* work = nullptr;
    bool done = false;
  };
  void Serve();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable work_ready_;  // a job was queued, or stopping_
  std::condition_variable job_done_;    // some job finished
  std::deque<Job*> queue_;              // REQUIRES: mutex_ held
  std::size_t admitted_ = 0;            // queued + running; REQUIRES: mutex_ held
  int running_ = 0;                     // REQUIRES: mutex_ held
  int peak_running_ = 0;                // REQUIRES: mutex_ held
  bool stopping_ = false;               // REQUIRES: mutex_ held
  std::vector<std::jthread> threads_;
};

}  // namespace booklib
