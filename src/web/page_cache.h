// Rendered pages by their validator (App::LibraryEtag): a page asked for again while nothing its
// ETag covers changed is answered with the bytes rendered before, without a library query or a
// render. Bounded by bytes (least recently used dropped first); one page takes at most an eighth of
// the budget. Nothing to invalidate: a change gives the page a new ETag, and the old entry ages out.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace booklib::web {

class PageCache {
 public:
  explicit PageCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // The body cached under `etag`, or null.
  std::shared_ptr<const std::string> Find(const std::string& etag);
  void Put(const std::string& etag, std::string body);
  std::size_t bytes() const;

 private:
  struct Entry {
    std::shared_ptr<const std::string> body;
    std::list<std::string>::iterator use;  // its place in uses_, most recent first
  };
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> uses_;
  std::size_t bytes_ = 0;
};

}  // namespace booklib::web
