// getrlimit/setrlimit on RLIMIT_NOFILE.
#include "server/open_file_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace booklib::server {

std::size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return OpenFileLimit();
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &limit);
  }
  return OpenFileLimit();
}

std::size_t OpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;  // the usual default
  if (limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return static_cast<std::size_t>(limit.rlim_cur);
}

ConnectionCaps DefaultConnectionCaps(std::size_t open_file_limit) {
  const std::size_t reserve = std::max<std::size_t>(256, open_file_limit / 4);
  const std::size_t total = open_file_limit > reserve * 2
                                ? std::min<std::size_t>(open_file_limit - reserve, 50'000)
                                : std::max<std::size_t>(1, open_file_limit / 2);
  const std::size_t per_address = std::min(total, std::max<std::size_t>(256, total / 8));
  return ConnectionCaps{total, per_address};
}

}  // namespace booklib::server
