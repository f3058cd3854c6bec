// The library page at 10,000 books: one reader's generated library in a fresh SQLite file; times
// the store query (Library::Browse) and the whole page (App::Handle: session, query, rendering) for
// the first page, a deep page, a search, a filter and a sort, and prints a markdown table.
//   library_bench [books=10000] [runs=30] [keep]   keep: leave the database file for a look
// In process, no sockets: what a page costs the server. The machine is shared and noisy: read the
// rows against each other within one run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/services.h"
#include "core/ids.h"
#include "crypto/crypto.h"
#include "web/cookies.h"

using namespace booklib;

namespace {

std::string IsbnNumber(int n) {
  std::string digits = "978" + std::to_string(100000000 + n);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

const char* const kWords[] = {"river",  "night",   "glass",   "émigré",  "garden", "winter",
                              "silent", "orchard", "harbour", "lantern", "mirror", "north",
                              "salt",   "ember",   "willow",  "crown"};
const char* const kAuthors[] = {"Ursula K. Le Guin", "Émile Zola",    "Octavia E. Butler", "Haruki Murakami",
                                "Toni Morrison",     "Italo Calvino", "N. K. Jemisin",     "Jane Austen"};
const char* const kShelves[] = {"Favourites", "Book club", "Sci-fi", "Classics", "Lent out"};

void Fill(cli::Services& services, const std::string& user_id, int books) {
  Store& store = *services.store;
  for (const char* shelf : kShelves) (void)store.CreateShelf(user_id, shelf);
  for (int i = 0; i < books; ++i) {
    const std::string isbn = IsbnNumber(i);
    auto book = store.GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2020-01-01T00:00:00Z"});
    if (!book) throw std::runtime_error(book.error().message);
    BookDetails details;
    details.title = std::string(kWords[i % 16]) + " " + kWords[(i / 16) % 16] + " " + std::to_string(i);
    details.author = kAuthors[i % 8];
    details.genre = "Fiction";
    details.page_count = 100 + i % 500;
    details.description = "A generated book for the benchmark, number " + std::to_string(i) + ".";
    (void)store.UpdateBookDetails(book->id, details, "Google Books");
    UserBook entry;
    entry.id = UserBookIdFor(user_id, book->id);
    entry.user_id = user_id;
    entry.book_id = book->id;
    char added[32];
    std::snprintf(added, sizeof added, "2024-%02d-%02dT%02d:%02d:00Z", 1 + i % 12, 1 + i % 28, i % 24,
                  i % 60);
    entry.date_added = added;
    entry.status = static_cast<ReadingStatus>(i % 4);
    if (i % 3 == 0) entry.rating_halves = 1 + i % 10;
    entry.sync_status = SyncStatus::kSynced;
    if (i % 5 == 0) entry.shelves = {kShelves[i % 5 == 0 ? (i / 5) % 5 : 0]};
    entry.owned = i % 2 == 0;
    if (entry.status == ReadingStatus::kRead)
      entry.reads = {
          {crypto::RandomUuid(), "", "2023-0" + std::to_string(1 + i % 9) + "-15", ReadOutcome::kFinished}};
    if (auto added_entry = store.AddUserBook(entry); !added_entry)
      throw std::runtime_error(added_entry.error().message);
  }
}

struct Scenario {
  const char* name;
  const char* query;  // the /books query string
};

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

std::string Param(const std::string& query, const std::string& name) {
  const std::string key = name + "=";
  for (std::size_t start = 0; start < query.size();) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    if (query.compare(start, key.size(), key) == 0)
      return query.substr(start + key.size(), end - start - key.size());
    start = end + 1;
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const int books = argc > 1 ? std::stoi(argv[1]) : 10000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 30;
  const auto dir = std::filesystem::temp_directory_path() / ("booklib-library-bench-" + crypto::RandomHex(4));
  std::filesystem::create_directories(dir);
  cli::Config config;
  config.data_dir = dir.string();
  config.database = (dir / "booklib.db").string();
  config.secret_key = std::string(64, 'b');
  config.workers = 0;
  config.password_iterations = 1000;
  auto built = cli::BuildServices(config);
  if (!built) {
    std::fprintf(stderr, "services: %s\n", built.error().message.c_str());
    return 1;
  }
  cli::Services& services = **built;
  auto user =
      services.accounts->Register({"bench", "bench@example.com", "bench-password-1", "bench-password-1"});
  if (!user) {
    std::fprintf(stderr, "register: %s\n", user.error().message.c_str());
    return 1;
  }
  const auto fill_started = std::chrono::steady_clock::now();
  Fill(services, user->id, books);
  const double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_started).count();
  auto session = services.accounts->Login("bench@example.com", "bench-password-1", "127.0.0.1");
  if (!session) {
    std::fprintf(stderr, "login: %s\n", session.error().message.c_str());
    return 1;
  }
  auto app = cli::BuildWebApp(services, config, config.secret_key);
  const web::CookieSigner signer(config.secret_key);
  const std::string cookie = "booklib_session=" + signer.Sign("booklib_session", session->id);

  const std::string deep_page = std::to_string(std::max(1, books / 50 - 10));
  const std::vector<std::pair<std::string, std::string>> scenarios = {
      {"first page (newest added)", ""},
      {"deep page " + deep_page, "page=" + deep_page},
      {"search \"river night\"", "q=river+night"},
      {"search an author \"zola\"", "q=zola"},
      {"filter status=read, sort=title", "status=read&sort=title"},
      {"shelf=Classics, sort=rating", "shelf=Classics&sort=rating"},
  };
  std::printf("Library page, %d books of one reader, SQLite, %d runs each (%.1f s to generate)\n\n", books,
              runs, fill_s);
  std::printf(
      "| scenario | matching | shown | Browse p50 / p95 ms | of which QueryLibrary p50 | ListShelves p50 | "
      "whole page p50 / p95 ms | page KB |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, query] : scenarios) {
    LibraryParams params{Param(query, "q"),    Param(query, "status"), Param(query, "shelf"), "", "", "",
                         Param(query, "sort"), Param(query, "page")};
    for (char& c : params.q) c = c == '+' ? ' ' : c;
    std::vector<double> query_ms;
    std::vector<double> store_ms;
    std::vector<double> shelves_ms;
    std::vector<double> page_ms;
    int total = 0;
    std::size_t shown = 0;
    std::size_t bytes = 0;
    for (int run = 0; run < runs; ++run) {
      const auto started = std::chrono::steady_clock::now();
      auto view = services.library->Browse(user->id, params);
      query_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
      if (!view) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), view.error().message.c_str());
        return 1;
      }
      const auto store_started = std::chrono::steady_clock::now();
      (void)services.store->QueryLibrary(user->id, view->query);
      const auto shelves_started = std::chrono::steady_clock::now();
      store_ms.push_back(std::chrono::duration<double, std::milli>(shelves_started - store_started).count());
      (void)services.store->ListShelves(user->id);
      shelves_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - shelves_started)
              .count());
      total = view->page.total;
      shown = view->page.entries.size();
      web::Request request;
      request.method = "GET";
      request.path = "/books";
      request.query = query;
      request.headers["cookie"] = cookie;
      request.remote_address = "127.0.0.1";
      const auto page_started = std::chrono::steady_clock::now();
      const web::Response response = app->Handle(request);
      page_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - page_started).count());
      if (response.status != 200) {
        std::fprintf(stderr, "%s: status %d\n", name.c_str(), response.status);
        return 1;
      }
      bytes = response.body.size();
    }
    std::printf("| %s | %d | %zu | %.2f / %.2f | %.2f | %.2f | %.2f / %.2f | %.1f |\n", name.c_str(), total,
                shown, Percentile(query_ms, 0.5), Percentile(query_ms, 0.95), Percentile(store_ms, 0.5),
                Percentile(shelves_ms, 0.5), Percentile(page_ms, 0.5), Percentile(page_ms, 0.95),
                static_cast<double>(bytes) / 1024.0);
  }
  if (argc > 3 && std::string(argv[3]) == "keep") {
    std::printf("\nkept %s\n", config.database.c_str());
  } else {
    std::filesystem::remove_all(dir);
  }
  return 0;
}
