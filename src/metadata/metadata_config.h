// MetadataConfig: where the metadata providers live and how long, and how much, to wait for them.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace booklib::metadata {

// CachingProvider: how many ISBNs to remember, and for how long. A TTL of 0 disables caching of
// that outcome; a capacity of 0 disables the cache (concurrent lookups are still merged).
struct CacheOptions {
  std::size_t capacity = 10000;
  std::chrono::seconds found_ttl{std::chrono::hours(24)};
  // Short, so that a book added to a catalogue later is found on a retry the same day.
  std::chrono::seconds not_found_ttl{std::chrono::hours(1)};
};

struct MetadataConfig {
  // Without a trailing slash. Tests point these at a local fake server.
  std::string google_books_base_url = "https://www.googleapis.com/books/v1";
  std::string open_library_base_url = "https://openlibrary.org";

  // GOOGLE_BOOKS_API_KEY; optional. Anonymous calls share a small global quota and often get 429.
  std::string google_books_api_key;
  // Sent as &country= when set (e.g. "US"). Google answers 403 unknownLocation to many server and
  // cloud addresses it cannot place; naming a country avoids that.
  std::string google_books_country;

  // Open Library asks API clients to identify themselves.
  std::string user_agent = "Booklib/0.1 (self-hosted book library)";

  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{10000};
  std::size_t max_response_bytes = 2 * 1024 * 1024;

  CacheOptions cache;
};

}  // namespace booklib::metadata
