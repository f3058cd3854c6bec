// Seeds a fresh data dir for bench/http.sh before `booklib serve` starts on it, through the
// project's own composition root (cli::BuildServices: the SQLite store and Accounts), and picks
// free loopback ports:
//   http_seed readers --data-dir D --reader EMAIL PASSWORD BOOKS [--reader ...]
//       registers each reader (username: the email's local part) and gives them BOOKS synced
//       books: catalogue details as a provider fills them (title, author, genre, publisher, date,
//       pages, language, a cover URL, a description of 300-1,500 bytes, a series for some), and
//       shelf entries with statuses, ratings, shelves, owned flags and reads. Reader k's ISBNs are
//       978 + (100000000 + k * 10000000 + i) with their check digit.
//   http_seed port
//       prints a TCP port that 127.0.0.1 had free a moment ago (for nginx, which cannot take 0)
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cli/services.h"
#include "core/ids.h"
#include "crypto/crypto.h"

using namespace booklib;

namespace {

std::string IsbnNumber(long n) {
  std::string digits = "978" + std::to_string(100000000 + n);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// "river" is in about one title in six (a search that matches many), the rest spread the vocabulary.
const std::vector<std::string> kTitleWords = {
    "river",  "night",   "glass",  "garden",  "winter",  "silent",   "orchard", "harbour", "lantern",
    "mirror", "north",   "salt",   "ember",   "willow",  "crown",    "stone",   "summer",  "shadow",
    "island", "letters", "house",  "city",    "forest",  "machine",  "memory",  "empire",  "daughter",
    "storm",  "station", "bridge", "country", "kingdom", "distance", "fire",    "ocean",   "hours"};
const std::vector<std::string> kTitleShapes = {"The {a} of the {b}", "{A} and {B}",  "A {a} in {B}",
                                               "The Last {A}",       "{A}",          "Beyond the {A} {B}",
                                               "{A} {B}: A Novel",   "The {A} Years"};
const std::vector<std::string> kAuthors = {"Ursula K. Le Guin",
                                           "Émile Zola",
                                           "Octavia E. Butler",
                                           "Haruki Murakami",
                                           "Toni Morrison",
                                           "Italo Calvino",
                                           "N. K. Jemisin",
                                           "Jane Austen",
                                           "Kazuo Ishiguro",
                                           "Chimamanda Ngozi Adichie",
                                           "Gabriel García Márquez",
                                           "Margaret Atwood",
                                           "Terry Pratchett",
                                           "Hilary Mantel",
                                           "Fyodor Dostoevsky",
                                           "Virginia Woolf",
                                           "Ted Chiang",
                                           "Zadie Smith",
                                           "Cormac McCarthy",
                                           "Ann Leckie",
                                           "Iain M. Banks",
                                           "Elena Ferrante",
                                           "George Eliot",
                                           "Jorge Luis Borges"};
const std::vector<std::string> kGenres = {"Fiction",   "Science Fiction", "Fantasy", "History",
                                          "Biography", "Poetry",          "Mystery", "Philosophy"};
const std::vector<std::string> kPublishers = {"Penguin Books", "Vintage",       "Tor Books", "Faber & Faber",
                                              "Gollancz",      "HarperCollins", "Picador",   "Orbit"};
const std::vector<std::string> kShelves = {"Favourites", "Book club", "Sci-fi", "Classics", "Lent out"};
const std::string kSentence =
    "A sweeping story of families, cities and the long consequences of a single choice, told with "
    "warmth and an eye for the small details of ordinary lives. ";

std::string Capital(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string Title(std::mt19937& random, long i) {
  std::string shape = kTitleShapes[random() % kTitleShapes.size()];
  // Every sixth title has "river" in it; the others draw two words at random.
  const std::string a = i % 6 == 0 ? "river" : kTitleWords[1 + random() % (kTitleWords.size() - 1)];
  const std::string& b = kTitleWords[1 + random() % (kTitleWords.size() - 1)];
  const auto put = [&shape](const std::string& key, const std::string& value) {
    if (const auto at = shape.find(key); at != std::string::npos) shape.replace(at, key.size(), value);
  };
  put("{a}", a);
  put("{b}", b);
  put("{A}", Capital(a));
  put("{B}", Capital(b));
  if (shape.find("river") == std::string::npos && shape.find("River") == std::string::npos && i % 6 == 0)
    shape += " of the River";
  return shape;
}

int Seed(const std::filesystem::path& data_dir, const std::vector<std::vector<std::string>>& readers) {
  cli::Config config;
  config.data_dir = data_dir.string();
  config.database = (data_dir / "booklib.db").string();  // what `serve --data-dir` opens by default
  config.workers = 0;
  auto built = cli::BuildServices(config);
  if (!built) {
    std::fprintf(stderr, "http_seed: services: %s\n", built.error().message.c_str());
    return 1;
  }
  cli::Services& services = **built;
  Store& store = *services.store;
  for (std::size_t k = 0; k < readers.size(); ++k) {
    const std::string& email = readers[k][0];
    const std::string& password = readers[k][1];
    const long books = std::stol(readers[k][2]);
    const auto started = std::chrono::steady_clock::now();
    auto user = services.accounts->Register({email.substr(0, email.find('@')), email, password, password});
    if (!user) {
      std::fprintf(stderr, "http_seed: register %s: %s\n", email.c_str(), user.error().message.c_str());
      return 1;
    }
    for (const std::string& shelf : kShelves) (void)store.CreateShelf(user->id, shelf);
    std::mt19937 random(static_cast<unsigned>(1000 + k));
    const long first = static_cast<long>(k) * 10000000;
    for (long start = 0; start < books; start += 500) {
      const auto batch = [&]() -> Result<void> {
        for (long i = start; i < std::min(books, start + 500); ++i) {
          const std::string isbn = IsbnNumber(first + i);
          auto book = store.GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2024-01-01T00:00:00Z"});
          if (!book) return std::unexpected(book.error());
          BookDetails details;
          details.title = Title(random, i);
          details.author = kAuthors[random() % kAuthors.size()];
          details.genre = kGenres[random() % kGenres.size()];
          details.publisher = kPublishers[random() % kPublishers.size()];
          details.published_date =
              std::to_string(1850 + random() % 175) + "-0" + std::to_string(1 + random() % 9);
          details.page_count = 80 + static_cast<int>(random() % 820);
          details.language = "en";
          details.cover_image_url = "https://covers.example.org/b/isbn/" + isbn + "-M.jpg";
          const std::size_t sentences = 2 + random() % 9;  // 300-1,500 bytes, as providers send
          for (std::size_t s = 0; s < sentences; ++s) details.description += kSentence;
          if (i % 7 == 0) {
            details.series = "The " + Capital(kTitleWords[random() % kTitleWords.size()]) + " Cycle";
            details.series_index = std::to_string(1 + i % 5);
          }
          if (auto updated = store.UpdateBookDetails(book->id, details, "Google Books"); !updated)
            return updated;
          UserBook entry;
          entry.id = UserBookIdFor(user->id, book->id);
          entry.user_id = user->id;
          entry.book_id = book->id;
          char added[64];
          std::snprintf(added, sizeof added, "20%02ld-%02ld-%02ldT%02ld:%02ld:%02ldZ",
                        15 + i * 10 / std::max(1L, books), 1 + i % 12, 1 + i % 28, i % 24, i % 60,
                        (i * 7) % 60);
          entry.date_added = added;
          entry.status = static_cast<ReadingStatus>(i % 4);
          if (i % 3 == 0) entry.rating_halves = 1 + static_cast<int>(i % 10);
          entry.sync_status = SyncStatus::kSynced;
          if (i % 5 == 0) entry.shelves = {kShelves[(i / 5) % kShelves.size()]};
          entry.owned = i % 2 == 0;
          if (entry.status == ReadingStatus::kRead)
            entry.reads = {{crypto::RandomUuid(), "2023-0" + std::to_string(1 + i % 9) + "-01",
                            "2023-0" + std::to_string(1 + i % 9) + "-15", ReadOutcome::kFinished}};
          if (i % 11 == 0) entry.notes = "Recommended by a friend; lend to the book club next.";
          if (auto added_entry = store.AddUserBook(entry); !added_entry) return added_entry;
        }
        return {};
      };
      if (auto done = store.RunAtomically(batch); !done) {
        std::fprintf(stderr, "http_seed: books of %s: %s\n", email.c_str(), done.error().message.c_str());
        return 1;
      }
    }
    std::fprintf(stderr, "http_seed: %s with %ld books (%.1f s)\n", email.c_str(), books,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return 0;
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("http_seed port");
    return 1;
  }
  std::printf("%d\n", ntohs(address.sin_port));
  ::close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "port") return FreePort();
  if (command == "readers") {
    std::filesystem::path data_dir;
    std::vector<std::vector<std::string>> readers;
    for (int i = 2; i < argc; ++i) {
      const std::string flag = argv[i];
      if (flag == "--data-dir" && i + 1 < argc) {
        data_dir = argv[++i];
      } else if (flag == "--reader" && i + 3 < argc) {
        readers.push_back({argv[i + 1], argv[i + 2], argv[i + 3]});
        i += 3;
      } else {
        std::fprintf(stderr, "http_seed: unexpected argument %s\n", flag.c_str());
        return 2;
      }
    }
    if (!data_dir.empty() && !readers.empty()) return Seed(data_dir, readers);
  }
  std::fprintf(stderr,
               "usage: http_seed readers --data-dir D --reader EMAIL PASSWORD BOOKS [--reader ...] | "
               "http_seed port\n");
  return 2;
}
