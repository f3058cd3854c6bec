// Load tools for bench/soak.sh and bench/crash.sh, against a running `booklib serve` on 127.0.0.1:
//   booklib_load provider --url-file F [--delay-ms 50]
//       a fake Google Books on a loopback port (its base URL written to F) until SIGTERM
//   booklib_load soak --port P [--connections 256] [--seconds 300] [--users N] [--summary F] ...
//       registers readers, logs every connection in (its own session), then runs the weighted mix
//       of page views, adds, scans and logins (a closed loop; --think-ms M pauses a random M ms on
//       average between a reader's steps); prints a markdown table, writes key=value to F
//   booklib_load write --port P --email E --password W --acked F [--first N] [--connections 4] [--register]
//       adds new ISBNs as one reader until SIGTERM, appending each ISBN answered 303 to F
// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "bench/load/browser_session.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/synthetic_barcodes.h"

namespace booklib::bench {
namespace {

using asio::use_awaitable;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// ---- Arguments ------------------------------------------------------------------------------------

class Arguments {
 public:
  Arguments(int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
      std::string name = argv[i];
      if (!name.starts_with("--")) throw std::runtime_error("unexpected argument " + name);
      name = name.substr(2);
      if (i + 1 < argc && !std::string(argv[i + 1]).starts_with("--"))
        values_[name] = argv[++i];
      else
        values_[name] = "1";
    }
  }
  std::string Text(const std::string& name, std::string fallback = "") const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  long Number(const std::string& name, long fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : std::stol(it->second);
  }
  double Real(const std::string& name, double fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : std::stod(it->second);
  }
  bool Has(const std::string& name) const { return values_.contains(name); }

 private:
  std::map<std::string, std::string> values_;
};

// ---- Books ----------------------------------------------------------------------------------------

// The `n`-th ISBN-13 of the 978 range, with its check digit. REQUIRES: 0 <= n < 1e9.
std::string IsbnNumber(long n) {
  const std::string digits = std::to_string(1000000000 + n).substr(1);
  return synthetic::WithEan13CheckDigit("978" + digits);
}

std::string GoogleVolume(const std::string& isbn) {
  return R"({"kind":"books#volumes","totalItems":1,"items":[{"volumeInfo":{"title":"Book )" + isbn +
         R"(","authors":["A. Writer"],"industryIdentifiers":[{"type":"ISBN_13","identifier":")" + isbn +
         R"("}],"categories":["Fiction"],"pageCount":100}}]})";
}

// Phone-like photos of back covers (as the page uploads them, shrunk to at most 2000 px), each with
// the barcode of a different ISBN.
std::vector<std::string> BarcodePhotos(int count) {
  std::vector<std::string> photos;
  const std::vector<std::string> isbns = synthetic::MakeIsbns(count, 7);
  for (int i = 0; i < count; ++i) {
    GrayImage photo = synthetic::PhotoBackground(1200, 900, 100 + i);
    synthetic::Paste(synthetic::RenderEan13Label(isbns[i]), photo, 300 + 10 * i, 350);
    synthetic::AddNoise(photo, 4, i);
    photos.push_back(synthetic::EncodeJpeg(photo, 85, /*as_colour=*/true));
  }
  return photos;
}

asio::awaitable<void> Pause(milliseconds wait) {
  asio::steady_timer timer(co_await asio::this_coro::executor, wait);
  co_await timer.async_wait(use_awaitable);
}

// Seconds from a Retry-After header, at least one.
milliseconds RetryAfter(const Answer& answer) {
  long value = 1;
  try {
    value = std::max(1L, std::stol(answer.retry_after));
  } catch (const std::exception&) {
  }
  return milliseconds{1000 * std::min(value, 10L)};
}

// ---- Figures --------------------------------------------------------------------------------------

// What one connection saw; merged after the run (so no locks while it runs).
struct Tally {
  std::map<std::string, std::vector<std::uint32_t>> latencies_us;  // "GET /books" -> every request's
  std::map<std::string, long> unexpected;                          // "POST /add_book: 400" -> count
  std::map<std::string, long> failures;                            // "GET /books: timeout" -> count

  // Counts `answer` to request `kind`; true when it got the status a browser expects.
  bool Record(const std::string& kind, const Answer& answer, int expected) {
    latencies_us[kind].push_back(
        static_cast<std::uint32_t>(std::min<long>(answer.latency.count(), UINT32_MAX)));
    if (answer.status == 0) {
      ++failures[kind + ": " + answer.failure];
      return false;
    }
    if (answer.status != expected) {
      ++unexpected[kind + ": " + std::to_string(answer.status)];
      return false;
    }
    return true;
  }
  void Merge(const Tally& other) {
    for (const auto& [kind, values] : other.latencies_us)
      latencies_us[kind].insert(latencies_us[kind].end(), values.begin(), values.end());
    for (const auto& [key, count] : other.unexpected) unexpected[key] += count;
    for (const auto& [key, count] : other.failures) failures[key] += count;
  }
};

double PercentileMs(const std::vector<std::uint32_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)] / 1000.0;
}

long Sum(const std::map<std::string, long>& counts) {
  long total = 0;
  for (const auto& [key, count] : counts) total += count;
  return total;
}

std::string Describe(const std::map<std::string, long>& counts) {
  std::string text;
  for (const auto& [key, count] : counts)
    text += (text.empty() ? "" : ", ") + key + " x" + std::to_string(count);
  return text.empty() ? "none" : text;
}

// ---- Soak -----------------------------------------------------------------------------------------

struct Reader {
  Reader(asio::any_io_executor executor, asio::ip::tcp::endpoint server, seconds timeout, int user,
         unsigned seed)
      : browser(std::move(executor), server, timeout), user(user), random(seed) {}
  BrowserSession browser;
  int user;
  std::mt19937 random;
  Tally tally;
};

// Logins allowed across all connections: a token bucket of `per_second`, so the mix's logins stay at
// the rate a library's readers log in rather than what a closed loop of 256 clients could force.
class LoginBudget {
 public:
  explicit LoginBudget(double per_second) : per_second_(per_second), tokens_(1), last_(Clock::now()) {}
  bool TryTake() {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    tokens_ = std::min(1.0, tokens_ + per_second_ * std::chrono::duration<double>(now - last_).count());
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  std::mutex mutex_;
  double per_second_;
  double tokens_;
  Clock::time_point last_;
};

struct SoakPlan {
  std::string run_id;
  std::vector<std::string> photos;
  std::atomic<long> next_isbn;
  std::atomic<long> requests{0};
  LoginBudget logins;
  std::discrete_distribution<int> mix;  // kBooks, kHome, kAdd, kScan, kLogin
  double think_ms = 0;                  // mean pause between a reader's scenarios (0: a closed loop)
  std::string setup_error;

  std::string Email(int user) const { return "soak-" + run_id + "-" + std::to_string(user) + "@example.com"; }
  std::string Password(int user) const { return "soak-reader-" + std::to_string(user) + "-long-pass"; }
};

enum Scenario { kBooks, kHome, kAdd, kScan, kLogin };

// Sends `attempt` until it answers `expected`, waiting out 503/429 (the hashing pool and the login
// throttle say when); anything else is a setup failure.
template <class Attempt>
asio::awaitable<bool> UntilAnswered(Attempt attempt, int expected, const std::string& what, SoakPlan& plan) {
  for (int tries = 0; tries < 60; ++tries) {
    const Answer answer = co_await attempt();
    if (answer.status == expected) co_return true;
    if (answer.status != 503 && answer.status != 429 && answer.status != 0) {
      plan.setup_error = what + " answered " + std::to_string(answer.status);
      co_return false;
    }
    co_await Pause(answer.status == 0 ? milliseconds{500} : RetryAfter(answer));
  }
  plan.setup_error = what + " kept failing";
  co_return false;
}

asio::awaitable<bool> Register(BrowserSession& browser, SoakPlan& plan, int user) {
  if ((co_await browser.Get("/register")).status != 200) co_return false;
  const FormFields form = {{"username", "soak" + plan.run_id + "u" + std::to_string(user)},
                           {"email", plan.Email(user)},
                           {"password", plan.Password(user)},
                           {"confirm_password", plan.Password(user)}};
  co_return co_await UntilAnswered([&] { return browser.PostForm("/register", form); }, 303, "register",
                                   plan);
}

asio::awaitable<bool> LogIn(BrowserSession& browser, SoakPlan& plan, int user) {
  const bool page = co_await UntilAnswered([&] { return browser.Get("/login"); }, 200, "GET /login", plan);
  if (!page) co_return false;
  const FormFields form = {{"email", plan.Email(user)}, {"password", plan.Password(user)}};
  if (!co_await UntilAnswered([&] { return browser.PostForm("/login", form); }, 303, "login", plan))
    co_return false;
  co_return co_await UntilAnswered([&] { return browser.Get("/books"); }, 200, "GET /books", plan);
}

// Setup, a few coroutines at a time: registers users [0, users) (reader i is user i's first
// connection), then logs every reader in.
asio::awaitable<void> RegisterUsers(std::vector<std::unique_ptr<Reader>>& readers, int users, SoakPlan& plan,
                                    std::atomic<int>& next_user) {
  for (int user = next_user++; user < users && plan.setup_error.empty(); user = next_user++)
    if (!co_await Register(readers[user]->browser, plan, user) && plan.setup_error.empty())
      plan.setup_error = "GET /register failed";
}
asio::awaitable<void> LogReadersIn(std::vector<std::unique_ptr<Reader>>& readers, SoakPlan& plan,
                                   std::atomic<int>& next_reader) {
  for (int i = next_reader++; i < static_cast<int>(readers.size()) && plan.setup_error.empty();
       i = next_reader++)
    co_await LogIn(readers[i]->browser, plan, readers[i]->user);
}

// One reader's closed loop until `deadline`: pick a scenario by weight, send it, count what came back.
asio::awaitable<void> RunMix(Reader& reader, SoakPlan& plan, Clock::time_point deadline) {
  BrowserSession& browser = reader.browser;
  Tally& tally = reader.tally;
  std::exponential_distribution<double> think(plan.think_ms > 0 ? 1 / plan.think_ms : 1);
  while (Clock::now() < deadline) {
    if (plan.think_ms > 0) co_await Pause(milliseconds{static_cast<long>(think(reader.random))});
    int scenario = plan.mix(reader.random);
    if (scenario == kLogin && !plan.logins.TryTake()) scenario = kBooks;
    switch (scenario) {
      case kBooks:
        tally.Record("GET /books", co_await browser.Get("/books"), 200);
        plan.requests += 1;
        break;
      case kHome:
        tally.Record("GET /", co_await browser.Get("/"), 200);
        plan.requests += 1;
        break;
      case kAdd: {
        const FormFields form = {{"isbn", IsbnNumber(plan.next_isbn++)}, {"status", "to-read"}};
        tally.Record("POST /add_book", co_await browser.PostForm("/add_book", form), 303);
        plan.requests += 1;
        break;
      }
      case kScan: {
        const std::string& photo = plan.photos[reader.random() % plan.photos.size()];
        tally.Record("POST /scan_isbn?lookup=1",
                     co_await browser.PostBody("/scan_isbn?lookup=1", "image/jpeg", photo), 200);
        plan.requests += 1;
        break;
      }
      case kLogin: {
        // Log out, fetch the login page (a new CSRF cookie), log in, land on the library (its token).
        // A login refused for now (503 from the busy hashing pool, 429) is counted, then retried
        // after its Retry-After, as the reader would: the rest of the mix needs the session.
        const FormFields none;
        tally.Record("POST /logout", co_await browser.PostForm("/logout", none), 303);
        tally.Record("GET /login", co_await browser.Get("/login"), 200);
        const FormFields form = {{"email", plan.Email(reader.user)},
                                 {"password", plan.Password(reader.user)}};
        for (int tries = 0; tries < 30; ++tries) {
          const Answer login = co_await browser.PostForm("/login", form);
          plan.requests += 1;
          if (tally.Record("POST /login", login, 303) || (login.status != 503 && login.status != 429)) break;
          co_await Pause(RetryAfter(login));
        }
        tally.Record("GET /books", co_await browser.Get("/books"), 200);
        plan.requests += 3;
        break;
      }
    }
  }
}

asio::awaitable<void> ReportProgress(SoakPlan& plan, Clock::time_point start, Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    co_await Pause(milliseconds{10000});
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::fprintf(stderr, "soak: %5.0f s, %ld requests\n", elapsed, plan.requests.load());
  }
}

int Soak(const Arguments& args) {
  const asio::ip::tcp::endpoint server(asio::ip::make_address("127.0.0.1"),
                                       static_cast<unsigned short>(args.Number("port", 8080)));
  const int connections = static_cast<int>(args.Number("connections", 256));
  const int users = static_cast<int>(std::min<long>(args.Number("users", connections), connections));
  const seconds duration{args.Number("seconds", 300)};
  const seconds timeout{args.Number("timeout", 10)};
  const int setup_workers = static_cast<int>(args.Number("setup-concurrency", 3));
  const int threads = static_cast<int>(args.Number("client-threads", 1));
  // Weights of GET /books, GET /, POST /add_book, POST /scan_isbn, and a login (4 requests).
  const std::vector<double> weights = {args.Real("weight-books", 45), args.Real("weight-home", 20),
                                       args.Real("weight-add", 15), args.Real("weight-scan", 10),
                                       args.Real("weight-login", 10)};
  SoakPlan plan{.run_id = std::to_string(::getpid()),
                .photos = BarcodePhotos(static_cast<int>(args.Number("photos", 16))),
                .next_isbn = args.Number("first-isbn", 1000000),
                .logins = LoginBudget(args.Real("login-rate", 0.5)),
                .mix = std::discrete_distribution<int>(weights.begin(), weights.end()),
                .think_ms = args.Real("think-ms", 0)};

  asio::io_context io;
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < connections; ++i)
    readers.push_back(std::make_unique<Reader>(io.get_executor(), server, timeout, i % users, 1000 + i));

  const auto setup_start = Clock::now();
  std::atomic<int> next_user = 0;
  std::atomic<int> next_reader = 0;
  for (int w = 0; w < setup_workers; ++w)
    asio::co_spawn(io, RegisterUsers(readers, users, plan, next_user), asio::detached);
  io.run();
  io.restart();
  for (int w = 0; w < setup_workers; ++w)
    asio::co_spawn(io, LogReadersIn(readers, plan, next_reader), asio::detached);
  io.run();
  io.restart();
  if (!plan.setup_error.empty()) {
    std::fprintf(stderr, "soak: setup failed: %s\n", plan.setup_error.c_str());
    return 2;
  }
  const double setup_seconds = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::fprintf(stderr, "soak: %d users registered, %d connections logged in (%.1f s); running %ld s\n", users,
               connections, setup_seconds, static_cast<long>(duration.count()));
  if (const std::string ready = args.Text("ready-file"); !ready.empty()) std::ofstream(ready) << "ready\n";

  const auto start = Clock::now();
  const auto deadline = start + duration;
  for (auto& reader : readers) asio::co_spawn(io, RunMix(*reader, plan, deadline), asio::detached);
  asio::co_spawn(io, ReportProgress(plan, start, deadline), asio::detached);
  std::vector<std::thread> extra;
  for (int t = 1; t < threads; ++t) extra.emplace_back([&io] { io.run(); });
  io.run();
  for (std::thread& thread : extra) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  Tally total;
  for (const auto& reader : readers) total.Merge(reader->tally);
  std::vector<std::uint32_t> all;
  std::printf("| request | count | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
  for (auto& [kind, values] : total.latencies_us) {
    std::sort(values.begin(), values.end());
    std::printf("| %s | %zu | %.1f | %.1f | %.1f |\n", kind.c_str(), values.size(), PercentileMs(values, 0.5),
                PercentileMs(values, 0.99), values.back() / 1000.0);
    all.insert(all.end(), values.begin(), values.end());
  }
  std::sort(all.begin(), all.end());
  const long requests = static_cast<long>(all.size());
  const long unexpected = Sum(total.unexpected);
  const long failures = Sum(total.failures);
  const double p50 = PercentileMs(all, 0.50);
  const double p99 = PercentileMs(all, 0.99);
  const double p999 = PercentileMs(all, 0.999);
  const double max = all.empty() ? 0 : all.back() / 1000.0;
  std::printf("\nunexpected statuses: %s\nsocket errors: %s\n", Describe(total.unexpected).c_str(),
              Describe(total.failures).c_str());
  if (const std::string path = args.Text("summary"); !path.empty()) {
    std::ofstream out(path);
    out << "connections=" << connections << "\nusers=" << users << "\nseconds=" << elapsed
        << "\nsetup_seconds=" << setup_seconds << "\nrequests=" << requests
        << "\nrequests_per_second=" << requests / elapsed << "\nunexpected=" << unexpected
        << "\nunexpected_detail=" << Describe(total.unexpected) << "\nsocket_errors=" << failures
        << "\nsocket_error_detail=" << Describe(total.failures) << "\np50_ms=" << p50 << "\np99_ms=" << p99
        << "\np999_ms=" << p999 << "\nmax_ms=" << max << "\nthink_ms=" << plan.think_ms
        << "\nadd_requests=" << total.latencies_us["POST /add_book"].size() << "\n";
  }
  return 0;
}

// ---- Writer (crash test) --------------------------------------------------------------------------

struct WritePlan {
  std::string email;
  std::string password;
  int acked_fd = -1;
  std::atomic<long> next_isbn;
  std::atomic<long> sent{0};
  std::atomic<long> acked{0};
  std::atomic<long> failed{0};
};

// Logs in (retrying while the server is down or busy), fetches the add form for its CSRF token,
// and adds books until the io context stops.
asio::awaitable<void> Write(BrowserSession& browser, WritePlan& plan) {
  bool logged_in = false;
  for (int tries = 1;; ++tries) {
    Answer page;
    Answer login;
    if (!logged_in) {
      page = co_await browser.Get("/login");
      logged_in = page.status == 303;  // an earlier try's login went through
      if (page.status == 200) {
        const FormFields form = {{"email", plan.email}, {"password", plan.password}};
        login = co_await browser.PostForm("/login", form);
        logged_in = login.status == 303;
      }
    }
    // The add form carries the token too and stays small, unlike a library of thousands of books.
    if (logged_in && (co_await browser.Get("/add_book")).status == 200) break;
    if (tries % 10 == 1) {
      const std::size_t alert = login.body.find("role=\"alert\">");
      const std::string reason =
          alert == std::string::npos
              ? ""
              : login.body.substr(alert + 13, login.body.find('<', alert) - alert - 13);
      std::fprintf(stderr, "write: login try %d: GET /login %d %s, POST /login %d %s %s\n", tries,
                   page.status, page.failure.c_str(), login.status, login.failure.c_str(), reason.c_str());
    }
    co_await Pause(milliseconds{200});
  }
  while (true) {
    const std::string isbn = IsbnNumber(plan.next_isbn++);
    ++plan.sent;
    const FormFields form = {{"isbn", isbn}, {"status", "to-read"}};
    const Answer answer = co_await browser.PostForm("/add_book", form);
    if (answer.status == 303 && answer.location == "/books") {
      const std::string line = isbn + "\n";
      if (::write(plan.acked_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
      ++plan.acked;
    } else {
      ++plan.failed;
      if (answer.status == 0) co_await Pause(milliseconds{50});  // the server is down: try again soon
    }
  }
}

int WriteBooks(const Arguments& args) {
  const asio::ip::tcp::endpoint server(asio::ip::make_address("127.0.0.1"),
                                       static_cast<unsigned short>(args.Number("port", 8080)));
  WritePlan plan{
      .email = args.Text("email"), .password = args.Text("password"), .next_isbn = args.Number("first", 0)};
  plan.acked_fd = ::open(args.Text("acked").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (plan.acked_fd < 0) {
    std::perror("acked file");
    return 2;
  }
  asio::io_context io;
  if (args.Has("register")) {
    BrowserSession browser(io.get_executor(), server, seconds{30});
    int status = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await browser.Get("/register");
          const FormFields form = {{"username", args.Text("username", "writer")},
                                   {"email", plan.email},
                                   {"password", plan.password},
                                   {"confirm_password", plan.password}};
          status = (co_await browser.PostForm("/register", form)).status;
        },
        asio::detached);
    io.run();
    io.restart();
    if (status != 303) {
      std::fprintf(stderr, "write: register answered %d\n", status);
      return 2;
    }
  }
  std::vector<std::unique_ptr<BrowserSession>> browsers;
  for (long i = 0; i < args.Number("connections", 4); ++i) {
    browsers.push_back(std::make_unique<BrowserSession>(io.get_executor(), server, seconds{10}));
    asio::co_spawn(io, Write(*browsers.back(), plan), asio::detached);
  }
  asio::signal_set stop(io, SIGTERM, SIGINT);
  stop.async_wait([&](const beast::error_code&, int) { io.stop(); });
  io.run();
  ::close(plan.acked_fd);
  std::fprintf(stderr, "write: sent %ld, acknowledged %ld, not acknowledged %ld\n", plan.sent.load(),
               plan.acked.load(), plan.failed.load());
  return 0;
}

// ---- Provider -------------------------------------------------------------------------------------

int Provider(const Arguments& args) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start: they inherit it
  const milliseconds delay{args.Number("delay-ms", 50)};
  test::FakeHttpServer provider;
  provider.Handle("/books/v1/volumes", [delay](const test::FakeRequest& request) {
    static const std::regex kIsbn("(97[89][0-9]{10})");
    std::smatch match;
    const std::string isbn = std::regex_search(request.query, match, kIsbn) ? std::string(match[1]) : "";
    return test::FakeResponse::Json(GoogleVolume(isbn)).WithDelay(delay);
  });
  std::ofstream(args.Text("url-file")) << provider.BaseUrl() << "\n";
  int received = 0;
  sigwait(&signals, &received);
  std::fprintf(stderr, "provider: %d lookups answered\n", provider.TotalRequestCount());
  return 0;
}

}  // namespace
}  // namespace booklib::bench

int main(int argc, char** argv) {
  using namespace booklib::bench;
  const std::string command = argc > 1 ? argv[1] : "";
  try {
    const Arguments args(argc, argv);
    if (command == "soak") return Soak(args);
    if (command == "write") return WriteBooks(args);
    if (command == "provider") return Provider(args);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "booklib_load: %s\n", error.what());
    return 2;
  }
  std::fprintf(stderr,
               "usage: booklib_load soak|write|provider [--option value ...] (see the file header)\n");
  return 2;
}
