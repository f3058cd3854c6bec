// Fixed threads, a bounded admission count, callers blocking on their own job.
#include "core/hashing_pool.h"

#include <algorithm>

#include "metrics/metrics.h"

namespace booklib {
namespace {

// Registered at start (at zero), so a scraper sees the series before the first refusal.
metrics::Family<metrics::Counter>& refused = metrics::Registry::Default().AddCounter(
    "booklib_password_hashing_refused_total",
    "Logins and registrations answered 503 because the password-hashing pool was full.");

}  // namespace

HashingPool::HashingPool(int threads, int max_queued)
    : capacity_(static_cast<std::size_t>(std::max(1, threads) + std::max(0, max_queued))) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Serve(); });
}

HashingPool::~HashingPool() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  threads_.clear();  // joins; Serve drains the queue first
}

Result<void> HashingPool::Run(const std::function<void()>& job) {
  Job entry{&job};
  std::unique_lock lock(mutex_);
  if (admitted_ >= capacity_) {
    refused.WithLabels({}).Increment();
    return Fail(ErrorCode::kUnavailable, "The server is busy checking passwords; try again in a moment.", 1);
  }
  ++admitted_;
  queue_.push_back(&entry);
  work_ready_.notify_one();
  job_done_.wait(lock, [&] { return entry.done; });
  --admitted_;
  return {};
}

int HashingPool::PeakRunning() const {
  const std::lock_guard lock(mutex_);
  return peak_running_;
}

void HashingPool::Serve() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to do
    Job* job = queue_.front();
    queue_.pop_front();
    peak_running_ = std::max(peak_running_, ++running_);
    lock.unlock();
    (*job->work)();
    lock.lock();
    --running_;
    job->done = true;
    job_done_.notify_all();
  }
}

}  // namespace booklib
