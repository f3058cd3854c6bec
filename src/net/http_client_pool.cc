// HttpClientPool: a mutex-guarded stack of idle clients.
#include "net/http_client_pool.h"

#include <utility>

namespace booklib::net {

HttpClientPool::HttpClientPool(std::size_t max_idle, ConnectPolicy may_connect)
    : max_idle_(max_idle), may_connect_(std::move(may_connect)) {}

Result<HttpClientResponse> HttpClientPool::Send(const HttpClientRequest& request) {
  std::unique_ptr<HttpClient> client = Borrow();
  Result<HttpClientResponse> response = client->Send(request);
  GiveBack(std::move(client));
  return response;
}

std::size_t HttpClientPool::IdleCount() const {
  const std::lock_guard lock(mutex_);
  return idle_.size();
}

std::unique_ptr<HttpClient> HttpClientPool::Borrow() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<HttpClient> client = std::move(idle_.back());
      idle_.pop_back();
      return client;
    }
  }
  return std::make_unique<HttpClient>(may_connect_);  // outside the lock: creating a handle may take a while
}

void HttpClientPool::GiveBack(std::unique_ptr<HttpClient> client) {
  const std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(client));
  // else `client` is destroyed on return, closing its connections
}

}  // namespace booklib::net
