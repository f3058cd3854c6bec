// Metadata pipeline throughput: N books queued in a SQLite library, a fake provider answering every
// lookup after 100 ms, and the in-process workers; prints books/s until every entry is SYNCED.
//   metadata_bench [books=1000] [books_at_concurrency_1=100]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "cli/services.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "tests/support/fake_http_server.h"

using namespace booklib;
using std::chrono::milliseconds;

namespace {

std::string IsbnNumber(int n) {
  std::string digits = "978" + std::to_string(100000000 + n);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string Volume(const std::string& isbn) {
  return R"({"kind":"books#volumes","totalItems":1,"items":[{"volumeInfo":{"title":"Book )" + isbn +
         R"(","authors":["A. Writer"],"industryIdentifiers":[{"type":"ISBN_13","identifier":")" + isbn +
         R"("}],"categories":["Fiction"],"pageCount":100}}]})";
}

struct Run {
  std::string label;
  int books;
  int pollers;
  int batch;
  double seconds = 0;
};

// Queues `run.books` books, then starts the workers and waits until all are SYNCED.
bool Measure(Run& run, const std::string& provider_url) {
  const auto dir = std::filesystem::temp_directory_path() / ("booklib-bench-" + crypto::RandomHex(6));
  cli::Config config;
  config.data_dir = dir.string();
  config.database = (dir / "booklib.db").string();
  config.password_iterations = 1000;
  config.google_books_url = provider_url + "/books/v1";
  config.open_library_url = provider_url;
  std::filesystem::create_directories(dir);
  auto services = cli::BuildServices(config);
  if (!services) return false;
  auto user =
      (*services)->accounts->Register({"bench", "bench@example.com", "long-enough-pw", "long-enough-pw"});
  if (!user) return false;
  const int offset = static_cast<int>(std::hash<std::string>{}(run.label) % 100000) * 10;
  for (int i = 0; i < run.books; ++i) {
    BookForm form;
    form.isbn = IsbnNumber(offset + i);
    if (!(*services)->library->AddBook(user->id, form)) return false;
  }
  MetadataWorker worker(*(*services)->queue, *(*services)->sync, (*services)->clock,
                        WorkerOptions{.pollers = run.pollers, .batch_size = run.batch});
  const auto start = std::chrono::steady_clock::now();
  worker.Start();
  while (true) {
    const auto library = (*services)->store->ListLibrary(user->id);
    int synced = 0;
    for (const LibraryEntry& entry : *library) synced += entry.user_book.sync_status == SyncStatus::kSynced;
    if (synced == run.books) break;
    std::this_thread::sleep_for(milliseconds{20});
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  worker.Stop();
  std::filesystem::remove_all(dir);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const int books = argc > 1 ? std::stoi(argv[1]) : 1000;
  const int serial_books = argc > 2 ? std::stoi(argv[2]) : 100;
  SetLogLevel(LogLevel::kWarn);
  test::FakeHttpServer provider;
  provider.Handle("/books/v1/volumes", [](const test::FakeRequest& request) {
    static const std::regex kIsbn("(97[89][0-9]{10})");
    std::smatch match;
    const std::string isbn = std::regex_search(request.query, match, kIsbn) ? std::string(match[1]) : "";
    return test::FakeResponse::Json(Volume(isbn)).WithDelay(milliseconds{100});
  });
  const cli::Config defaults;
  std::vector<Run> runs = {
      {"defaults (" + std::to_string(defaults.workers) + " pollers x batch 10)", books, defaults.workers, 10},
      {"concurrency 1 (1 poller x batch 1)", serial_books, 1, 1}};
  std::printf("metadata pipeline: fake provider answers after 100 ms; SQLite store and queue\n\n");
  std::printf("| %-40s | %6s | %9s | %8s |\n", "setting", "books", "seconds", "books/s");
  std::printf("|%s|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(8, '-').c_str(),
              std::string(11, '-').c_str(), std::string(10, '-').c_str());
  for (Run& run : runs) {
    if (!Measure(run, provider.BaseUrl())) {
      std::fprintf(stderr, "run %s failed\n", run.label.c_str());
      return 1;
    }
    std::printf("| %-40s | %6d | %9.2f | %8.1f |\n", run.label.c_str(), run.books, run.seconds,
                run.books / run.seconds);
  }
  std::printf("\ntarget: 300 books/s or more at the defaults on a 2-core machine\n");
  return 0;
}
