// The process's open-file limit (RLIMIT_NOFILE) and the connection caps that keep below it.
#pragma once

#include <cstddef>

namespace booklib::server {

// Raises the soft open-file limit to the hard one (a server wants every descriptor it may have);
// returns the soft limit in force afterwards (unchanged if raising failed).
std::size_t RaiseOpenFileLimit();

// The soft open-file limit now.
std::size_t OpenFileLimit();

struct ConnectionCaps {
  std::size_t total = 0;
  std::size_t per_address = 0;
};

// Caps that leave room below `open_file_limit` for everything else the process opens (the
// database and its WAL, metadata lookups, logs, answers to refused connections): a quarter of the
// limit, at least 256 descriptors, stays free, and at most 50,000 connections are served (memory).
// One address may hold an eighth of the total, at least 256 (a household behind one NAT, each browser
// opening several). Both are at least 1.
ConnectionCaps DefaultConnectionCaps(std::size_t open_file_limit);

}  // namespace booklib::server
