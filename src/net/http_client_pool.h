// HttpClientPool: HttpClients shared by many threads, one borrowed per call, connections kept alive.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.h"
#include "net/http_client.h"

namespace booklib::net {

// Thread-safe. Each Send borrows an idle client (or creates one when none is idle), sends, and gives
// it back, so concurrent calls never share a client and later calls reuse warm connections.
// At most `max_idle` clients are kept between calls; the rest are closed. Every client of the pool
// is built with `may_connect` (see HttpClient), so no connection of the pool escapes the policy.
class HttpClientPool {
 public:
  explicit HttpClientPool(std::size_t max_idle = 16, ConnectPolicy may_connect = {});
  HttpClientPool(const HttpClientPool&) = delete;
  HttpClientPool& operator=(const HttpClientPool&) = delete;

  // Same contract as HttpClient::Send.
  Result<HttpClientResponse> Send(const HttpClientRequest& request);

  // Clients currently idle in the pool.
  std::size_t IdleCount() const;

 private:
  std::unique_ptr<HttpClient> Borrow();
  void GiveBack(std::unique_ptr<HttpClient> client);

  const std::size_t max_idle_;
  const ConnectPolicy may_connect_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<HttpClient>> idle_;
};

}  // namespace booklib::net
