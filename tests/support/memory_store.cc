// MemoryStore: maps keyed by id, uniqueness checked and written under the database's one lock.
#include "tests/support/memory_store.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "core/library_query.h"
#include "text/ascii.h"

namespace booklib::test {
namespace {

std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower;
}

// The value stored under `key` in `table`, or kNotFound naming `what`.
template <class Value>
Result<Value> Lookup(const std::map<std::string, Value>& table, std::string_view key, std::string_view what) {
  const auto it = table.find(std::string(key));
  if (it == table.end()) return Fail(ErrorCode::kNotFound, std::string(what) + " not found");
  return it->second;
}

// Applies `change` to the entry stored under `id`, or returns kNotFound.
template <class Change>
Result<void> ChangeUserBook(MemoryTables& tables, std::string_view id, Change change) {
  const auto it = tables.user_books.find(std::string(id));
  if (it == tables.user_books.end()) return Fail(ErrorCode::kNotFound, "user book not found");
  change(it->second.entry);
  return {};
}

const Book* BookWithIsbn(const MemoryTables& tables, std::string_view isbn) {
  if (isbn.empty()) return nullptr;
  for (const auto& [id, book] : tables.books)
    if (book.isbn == isbn) return &book;
  return nullptr;
}

}  // namespace

Result<void> MemoryStore::CreateUser(const User& user) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    const std::string username = LowerAscii(user.username);
    const auto taken = [&](auto same) { return std::ranges::any_of(tables.users, same); };
    if (taken([&](const auto& entry) { return LowerAscii(entry.second.username) == username; }))
      return Fail(ErrorCode::kAlreadyExists, "username");
    if (taken([&](const auto& entry) { return entry.second.email == user.email; }))
      return Fail(ErrorCode::kAlreadyExists, "email");
    if (!tables.users.emplace(user.id, user).second) return Fail(ErrorCode::kAlreadyExists, "user");
    return {};
  });
}

Result<User> MemoryStore::FindUserById(std::string_view user_id) {
  return db_->With([&](MemoryTables& tables) { return Lookup(tables.users, user_id, "user"); });
}

Result<User> MemoryStore::FindUserByEmail(std::string_view email) {
  return db_->With([&](MemoryTables& tables) -> Result<User> {
    for (const auto& [id, user] : tables.users)
      if (user.email == email) return user;
    return Fail(ErrorCode::kNotFound, "user not found");
  });
}

Result<void> MemoryStore::CreateSession(const Session& session) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    if (!tables.sessions.emplace(session.id, session).second)
      return Fail(ErrorCode::kAlreadyExists, "session");
    return {};
  });
}

Result<Session> MemoryStore::FindSession(std::string_view session_id) {
  return db_->With([&](MemoryTables& tables) { return Lookup(tables.sessions, session_id, "session"); });
}

Result<void> MemoryStore::DeleteSession(std::string_view session_id) {
  db_->With([&](MemoryTables& tables) { tables.sessions.erase(std::string(session_id)); });
  return {};
}

namespace {

// The user's token `token_id`, or nullptr (someone else's token included).
ApiToken* TokenOf(MemoryTables& tables, std::string_view user_id, std::string_view token_id) {
  const auto it = tables.api_tokens.find(std::string(token_id));
  if (it == tables.api_tokens.end() || it->second.user_id != user_id) return nullptr;
  return &it->second;
}

}  // namespace

Result<void> MemoryStore::CreateApiToken(const ApiToken& token) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    const bool hash_taken = std::ranges::any_of(
        tables.api_tokens, [&](const auto& entry) { return entry.second.secret_hash == token.secret_hash; });
    if (hash_taken || tables.api_tokens.contains(token.id))
      return Fail(ErrorCode::kAlreadyExists, "api token");
    tables.api_tokens.emplace(token.id, token);
    return {};
  });
}

Result<std::vector<ApiToken>> MemoryStore::ListApiTokens(std::string_view user_id) {
  return db_->With([&](MemoryTables& tables) -> Result<std::vector<ApiToken>> {
    std::vector<ApiToken> tokens;
    for (const auto& [id, token] : tables.api_tokens)
      if (token.user_id == user_id) tokens.push_back(token);
    std::ranges::sort(tokens, {}, [](const ApiToken& token) { return std::tie(token.created_at, token.id); });
    return tokens;
  });
}

Result<ApiToken> MemoryStore::FindApiTokenByHash(std::string_view secret_hash) {
  return db_->With([&](MemoryTables& tables) -> Result<ApiToken> {
    for (const auto& [id, token] : tables.api_tokens)
      if (token.secret_hash == secret_hash) return token;
    return Fail(ErrorCode::kNotFound, "api token not found");
  });
}

Result<void> MemoryStore::DeleteApiToken(std::string_view user_id, std::string_view token_id) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    if (!TokenOf(tables, user_id, token_id)) return Fail(ErrorCode::kNotFound, "api token not found");
    tables.api_tokens.erase(std::string(token_id));
    return {};
  });
}

Result<void> MemoryStore::TouchApiToken(std::string_view user_id, std::string_view token_id,
                                        std::string_view used_at) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ApiToken* token = TokenOf(tables, user_id, token_id);
    if (!token) return Fail(ErrorCode::kNotFound, "api token not found");
    token->last_used_at = used_at;
    return {};
  });
}

Result<Book> MemoryStore::GetOrCreateBook(const Book& candidate) {
  return db_->With([&](MemoryTables& tables) -> Result<Book> {
    if (const Book* existing = BookWithIsbn(tables, candidate.isbn)) return *existing;
    if (!tables.books.emplace(candidate.id, candidate).second) return Fail(ErrorCode::kAlreadyExists, "book");
    return candidate;
  });
}

Result<void> MemoryStore::CreateBook(const Book& book) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    if (BookWithIsbn(tables, book.isbn) || !tables.books.emplace(book.id, book).second)
      return Fail(ErrorCode::kAlreadyExists, "book");
    return {};
  });
}

Result<Book> MemoryStore::FindBook(std::string_view book_id) {
  return db_->With([&](MemoryTables& tables) { return Lookup(tables.books, book_id, "book"); });
}

Result<Book> MemoryStore::FindBookByIsbn(std::string_view isbn) {
  return db_->With([&](MemoryTables& tables) -> Result<Book> {
    if (const Book* book = BookWithIsbn(tables, isbn)) return *book;
    return Fail(ErrorCode::kNotFound, "book not found");
  });
}

Result<void> MemoryStore::UpdateBookDetails(std::string_view book_id, const BookDetails& details,
                                            std::string_view source) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    const auto it = tables.books.find(std::string(book_id));
    if (it == tables.books.end()) return Fail(ErrorCode::kNotFound, "book not found");
    it->second.details = details;
    it->second.details_source = source;
    return {};
  });
}

Result<void> MemoryStore::AddUserBook(const UserBook& user_book) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    const bool shelved = std::ranges::any_of(tables.user_books, [&](const auto& entry) {
      return entry.second.entry.user_id == user_book.user_id &&
             entry.second.entry.book_id == user_book.book_id;
    });
    if (shelved || tables.user_books.contains(user_book.id))
      return Fail(ErrorCode::kAlreadyExists, "user book");
    tables.user_books.emplace(user_book.id, StoredUserBook{user_book, tables.next_sequence++});
    return {};
  });
}

Result<UserBook> MemoryStore::FindUserBook(std::string_view user_book_id) {
  return db_->With([&](MemoryTables& tables) -> Result<UserBook> {
    auto stored = Lookup(tables.user_books, user_book_id, "user book");
    if (!stored) return std::unexpected(stored.error());
    return stored->entry;
  });
}

Result<std::vector<LibraryEntry>> MemoryStore::ListLibrary(std::string_view user_id) {
  return db_->With([&](MemoryTables& tables) -> Result<std::vector<LibraryEntry>> {
    std::vector<const StoredUserBook*> shelf;
    for (const auto& [id, stored] : tables.user_books)
      if (stored.entry.user_id == user_id && tables.books.contains(stored.entry.book_id))
        shelf.push_back(&stored);
    std::ranges::sort(shelf, [](const StoredUserBook* a, const StoredUserBook* b) {
      return std::tie(a->entry.date_added, a->sequence) > std::tie(b->entry.date_added, b->sequence);
    });
    std::vector<LibraryEntry> entries;
    for (const StoredUserBook* stored : shelf)
      entries.push_back(LibraryEntry{stored->entry, tables.books.at(stored->entry.book_id)});
    return entries;
  });
}

Result<void> MemoryStore::UpdateUserBook(const UserBook& user_book) {
  return db_->With([&](MemoryTables& tables) {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    return ChangeUserBook(tables, user_book.id, [&](UserBook& entry) {
      entry.status = user_book.status;
      entry.rating_halves = user_book.rating_halves;
      entry.typed = user_book.typed;
      entry.sync_status = user_book.sync_status;
      entry.sync_error = user_book.sync_error;
      entry.review = user_book.review;
      entry.notes = user_book.notes;
      entry.owned = user_book.owned;
      entry.shelves = user_book.shelves;
      entry.progress = user_book.progress;
      entry.reads = user_book.reads;
    });
  });
}

Result<LibraryPage> MemoryStore::QueryLibrary(std::string_view user_id, const LibraryQuery& query) {
  auto entries = ListLibrary(user_id);
  if (!entries) return std::unexpected(entries.error());
  return ApplyQuery(*entries, query);
}

Result<void> MemoryStore::SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                        std::string_view error) {
  return db_->With([&](MemoryTables& tables) {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    return ChangeUserBook(tables, user_book_id, [&](UserBook& entry) {
      entry.sync_status = status;
      entry.sync_error = error;
    });
  });
}

Result<void> MemoryStore::DeleteUserBook(std::string_view user_book_id) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    if (tables.user_books.erase(std::string(user_book_id)) == 0)
      return Fail(ErrorCode::kNotFound, "user book not found");
    return {};
  });
}

namespace {

// The position of the shelf called `name` (ignoring case) among `names`, or names.end().
std::vector<std::string>::iterator FindShelf(std::vector<std::string>& names, std::string_view name) {
  return std::ranges::find_if(
      names, [&](const std::string& shelf) { return text::EqualsIgnoringCase(shelf, name); });
}

// Applies `change` to the shelves of every entry of `user_id`, keeping each entry's list sorted.
template <class Change>
void ChangeEntriesShelves(MemoryTables& tables, std::string_view user_id, Change change) {
  for (auto& [id, stored] : tables.user_books) {
    if (stored.entry.user_id != user_id) continue;
    change(stored.entry.shelves);
    SortShelfNames(stored.entry.shelves);
  }
}

}  // namespace

Result<std::vector<Shelf>> MemoryStore::ListShelves(std::string_view user_id) {
  return db_->With([&](MemoryTables& tables) -> Result<std::vector<Shelf>> {
    std::vector<std::string> names = tables.shelves[std::string(user_id)];
    SortShelfNames(names);
    std::vector<Shelf> shelves;
    for (const std::string& name : names) {
      Shelf shelf{name, 0};
      for (const auto& [id, stored] : tables.user_books)
        if (stored.entry.user_id == user_id &&
            std::ranges::any_of(stored.entry.shelves,
                                [&](const std::string& on) { return text::EqualsIgnoringCase(on, name); }))
          ++shelf.book_count;
      shelves.push_back(shelf);
    }
    return shelves;
  });
}

Result<void> MemoryStore::CreateShelf(std::string_view user_id, std::string_view name) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    std::vector<std::string>& names = tables.shelves[std::string(user_id)];
    if (FindShelf(names, name) != names.end()) return Fail(ErrorCode::kAlreadyExists, "shelf exists");
    names.emplace_back(name);
    return {};
  });
}

Result<void> MemoryStore::RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    std::vector<std::string>& names = tables.shelves[std::string(user_id)];
    const auto shelf = FindShelf(names, from);
    if (shelf == names.end()) return Fail(ErrorCode::kNotFound, "shelf not found");
    if (const auto other = FindShelf(names, to); other != names.end() && other != shelf)
      return Fail(ErrorCode::kAlreadyExists, "shelf exists");
    *shelf = std::string(to);
    ChangeEntriesShelves(tables, user_id, [&](std::vector<std::string>& shelves) {
      if (const auto it = FindShelf(shelves, from); it != shelves.end()) *it = std::string(to);
    });
    return {};
  });
}

Result<void> MemoryStore::DeleteShelf(std::string_view user_id, std::string_view name) {
  return db_->With([&](MemoryTables& tables) -> Result<void> {
    ++tables.library_writes;  // a refused write may count too: the port allows it
    std::vector<std::string>& names = tables.shelves[std::string(user_id)];
    const auto shelf = FindShelf(names, name);
    if (shelf == names.end()) return Fail(ErrorCode::kNotFound, "shelf not found");
    names.erase(shelf);
    ChangeEntriesShelves(tables, user_id, [&](std::vector<std::string>& shelves) {
      if (const auto it = FindShelf(shelves, name); it != shelves.end()) shelves.erase(it);
    });
    return {};
  });
}

Result<std::string> MemoryStore::LibraryVersion(std::string_view) {
  return db_->With(
      [&](MemoryTables& tables) -> Result<std::string> { return std::to_string(tables.library_writes); });
}

Result<void> MemoryStore::RunAtomically(const std::function<Result<void>()>& work) {
  return db_->Atomically(work);
}

}  // namespace booklib::test
