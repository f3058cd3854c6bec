// SQLite implementation of the Store port: parameterised statements only.
#include "store/sqlite/sqlite_store.h"

namespace booklib {
namespace {

using sqlite::Statement;

constexpr std::string_view kBookColumns =
    "b.book_id, b.isbn, b.title, b.author, b.genre, b.cover_image_url, b.description, b.publisher, "
    "b.published_date, b.page_count, b.language, b.created_at";
constexpr int kBookColumnCount = 12;
constexpr std::string_view kUserBookColumns =
    "ub.user_book_id, ub.user_id, ub.book_id, ub.status, ub.rating, ub.sync_status, ub.sync_error, "
    "ub.date_added, "
    "ub.title, ub.author, ub.genre, ub.cover_image_url, ub.description, ub.publisher, ub.published_date, "
    "ub.page_count, ub.language";

// Reads the nine detail columns starting at `first`.
BookDetails ReadDetails(const Statement& s, int first) {
  BookDetails d;
  d.title = s.Text(first);
  d.author = s.Text(first + 1);
  d.genre = s.Text(first + 2);
  d.cover_image_url = s.Text(first + 3);
  d.description = s.Text(first + 4);
  d.publisher = s.Text(first + 5);
  d.published_date = s.Text(first + 6);
  d.page_count = static_cast<int>(s.Int(first + 7));
  d.language = s.Text(first + 8);
  return d;
}

// Binds the nine detail values to parameters first..first+8.
void BindDetails(Statement& s, int first, const BookDetails& d) {
  s.Bind(first, d.title)
      .Bind(first + 1, d.author)
      .Bind(first + 2, d.genre)
      .Bind(first + 3, d.cover_image_url);
  s.Bind(first + 4, d.description).Bind(first + 5, d.publisher).Bind(first + 6, d.published_date);
  s.Bind(first + 7, static_cast<std::int64_t>(d.page_count)).Bind(first + 8, d.language);
}

Book ReadBook(const Statement& s, int first) {
  return Book{s.Text(first), s.Text(first + 1), ReadDetails(s, first + 2), s.Text(first + 11)};
}

UserBook ReadUserBook(const Statement& s, int first) {
  UserBook ub;
  ub.id = s.Text(first);
  ub.user_id = s.Text(first + 1);
  ub.book_id = s.Text(first + 2);
  ub.status = ParseReadingStatus(s.Text(first + 3)).value_or(ReadingStatus::kToRead);
  if (!s.IsNull(first + 4)) ub.rating = static_cast<int>(s.Int(first + 4));
  ub.sync_status = ParseSyncStatus(s.Text(first + 5)).value_or(SyncStatus::kPending);
  ub.sync_error = s.Text(first + 6);
  ub.date_added = s.Text(first + 7);
  ub.typed = ReadDetails(s, first + 8);
  return ub;
}

// A prepared statement and the connection lease it belongs to, held together for one call
// (the statement is reset before the connection goes back to the pool).
struct Prepared {
  sqlite::ConnectionLease lease;
  std::unique_ptr<Statement> statement;
  Statement& operator*() { return *statement; }
};

Result<Prepared> Prepare(sqlite::Database& db, std::string_view sql) {
  auto lease = db.Acquire();
  if (!lease) return std::unexpected(lease.error());
  auto statement = (*lease)->Prepare(sql);
  if (!statement) return std::unexpected(statement.error());
  return Prepared{std::move(*lease), std::move(*statement)};
}

// The one row `sql` selects for `key`, turned into a value by `read`; kNotFound naming `what`.
template <class Read>
auto FindOne(sqlite::Database& db, std::string_view sql, std::string_view key, std::string_view what,
             Read read) -> Result<decltype(read(std::declval<const Statement&>()))> {
  auto prepared = Prepare(db, sql);
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, key);
  auto row = s.Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(ErrorCode::kNotFound, std::string(what) + " not found");
  return read(s);
}

User ReadUser(const Statement& s) { return User{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)}; }

constexpr std::string_view kUserSelect =
    "SELECT user_id, username, email, password_hash, created_at FROM users ";

// Runs a statement that must change exactly one row; kNotFound otherwise.
Result<void> RunOne(Statement& s, std::string_view what) {
  if (auto ok = s.Run(); !ok) return ok;
  if (s.Changes() == 0) return Fail(ErrorCode::kNotFound, std::string(what) + " not found");
  return {};
}

}  // namespace

Result<void> SqliteStore::CreateUser(const User& user) {
  Result<void> inserted;
  {
    auto prepared = Prepare(
        *db_,
        "INSERT INTO users (user_id, username, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)");
    if (!prepared) return std::unexpected(prepared.error());
    Statement& s = **prepared;
    s.Bind(1, user.id)
        .Bind(2, user.username)
        .Bind(3, user.email)
        .Bind(4, user.password_hash)
        .Bind(5, user.created_at);
    inserted = s.Run();
  }
  if (inserted || inserted.error().code != ErrorCode::kAlreadyExists) return inserted;
  // SQLite names only the first index that refused the row; the port wants "username" whenever
  // the username is taken, whichever index SQLite checked first.
  if (inserted.error().message.find("users.email") == std::string::npos)
    return Fail(ErrorCode::kAlreadyExists, "username");
  auto same_name = FindOne(*db_, "SELECT 1 FROM users WHERE username = ? COLLATE NOCASE", user.username,
                           "user", [](const Statement&) { return true; });
  if (!same_name && same_name.error().code != ErrorCode::kNotFound) return std::unexpected(same_name.error());
  return Fail(ErrorCode::kAlreadyExists, same_name ? "username" : "email");
}

Result<User> SqliteStore::FindUserById(std::string_view user_id) {
  return FindOne(*db_, std::string(kUserSelect) + "WHERE user_id = ?", user_id, "user", ReadUser);
}

Result<User> SqliteStore::FindUserByEmail(std::string_view email) {
  return FindOne(*db_, std::string(kUserSelect) + "WHERE email = ?", email, "user", ReadUser);
}

Result<void> SqliteStore::CreateSession(const Session& session) {
  auto prepared = Prepare(*db_, "INSERT INTO sessions (session_id, user_id, expires_at) VALUES (?, ?, ?)");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, session.id).Bind(2, session.user_id).Bind(3, session.expires_at);
  return s.Run();
}

Result<Session> SqliteStore::FindSession(std::string_view session_id) {
  return FindOne(*db_, "SELECT session_id, user_id, expires_at FROM sessions WHERE session_id = ?",
                 session_id, "session", [](const Statement& s) {
                   return Session{s.Text(0), s.Text(1), s.Int(2)};
                 });
}

Result<void> SqliteStore::DeleteSession(std::string_view session_id) {
  auto prepared = Prepare(*db_, "DELETE FROM sessions WHERE session_id = ?");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, session_id);
  return s.Run();
}

Result<Book> SqliteStore::GetOrCreateBook(const Book& candidate) {
  {
    auto prepared = Prepare(
        *db_, "INSERT INTO books (book_id, isbn, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    if (!prepared) return std::unexpected(prepared.error());
    Statement& s = **prepared;
    s.Bind(1, candidate.id).Bind(2, candidate.isbn).Bind(3, candidate.created_at);
    if (auto ok = s.Run(); !ok) return std::unexpected(ok.error());
  }
  return FindBookByIsbn(candidate.isbn);
}

Result<void> SqliteStore::CreateBook(const Book& book) {
  auto prepared = Prepare(
      *db_,
      "INSERT INTO books (book_id, isbn, title, author, genre, cover_image_url, description, publisher, "
      "published_date, page_count, language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, book.id);
  if (book.isbn.empty())
    s.BindNull(2);
  else
    s.Bind(2, book.isbn);
  BindDetails(s, 3, book.details);
  s.Bind(12, book.created_at);
  return s.Run();
}

Result<Book> SqliteStore::FindBook(std::string_view book_id) {
  return FindOne(*db_, "SELECT " + std::string(kBookColumns) + " FROM books b WHERE b.book_id = ?", book_id,
                 "book", [](const Statement& s) { return ReadBook(s, 0); });
}

Result<Book> SqliteStore::FindBookByIsbn(std::string_view isbn) {
  return FindOne(*db_, "SELECT " + std::string(kBookColumns) + " FROM books b WHERE b.isbn = ?", isbn, "book",
                 [](const Statement& s) { return ReadBook(s, 0); });
}

Result<void> SqliteStore::UpdateBookDetails(std::string_view book_id, const BookDetails& details) {
  auto prepared =
      Prepare(*db_,
              "UPDATE books SET title = ?, author = ?, genre = ?, cover_image_url = ?, description = ?, "
              "publisher = ?, published_date = ?, page_count = ?, language = ? WHERE book_id = ?");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  BindDetails(s, 1, details);
  s.Bind(10, book_id);
  return RunOne(s, "book");
}

Result<void> SqliteStore::AddUserBook(const UserBook& ub) {
  auto prepared = Prepare(
      *db_,
      "INSERT INTO user_books (user_book_id, user_id, book_id, status, rating, sync_status, sync_error, "
      "date_added, title, author, genre, cover_image_url, description, publisher, published_date, "
      "page_count, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, ub.id).Bind(2, ub.user_id).Bind(3, ub.book_id).Bind(4, ReadingStatusName(ub.status));
  s.Bind(5, ub.rating).Bind(6, SyncStatusName(ub.sync_status)).Bind(7, ub.sync_error).Bind(8, ub.date_added);
  BindDetails(s, 9, ub.typed);
  return s.Run();
}

Result<UserBook> SqliteStore::FindUserBook(std::string_view user_book_id) {
  return FindOne(*db_,
                 "SELECT " + std::string(kUserBookColumns) + " FROM user_books ub WHERE ub.user_book_id = ?",
                 user_book_id, "user book", [](const Statement& s) { return ReadUserBook(s, 0); });
}

Result<std::vector<LibraryEntry>> SqliteStore::ListLibrary(std::string_view user_id) {
  auto prepared =
      Prepare(*db_, "SELECT " + std::string(kBookColumns) + ", " + std::string(kUserBookColumns) +
                        " FROM user_books ub JOIN books b ON b.book_id = ub.book_id WHERE ub.user_id = ? "
                        "ORDER BY ub.date_added DESC, ub.rowid DESC");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, user_id);
  std::vector<LibraryEntry> entries;
  while (true) {
    auto row = s.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    entries.push_back(LibraryEntry{ReadUserBook(s, kBookColumnCount), ReadBook(s, 0)});
  }
  return entries;
}

Result<void> SqliteStore::UpdateUserBook(const UserBook& ub) {
  auto prepared = Prepare(
      *db_,
      "UPDATE user_books SET status = ?, rating = ?, sync_status = ?, sync_error = ?, title = ?, "
      "author = ?, genre = ?, cover_image_url = ?, description = ?, publisher = ?, published_date = ?, "
      "page_count = ?, language = ? WHERE user_book_id = ?");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, ReadingStatusName(ub.status)).Bind(2, ub.rating).Bind(3, SyncStatusName(ub.sync_status));
  s.Bind(4, ub.sync_error);
  BindDetails(s, 5, ub.typed);
  s.Bind(14, ub.id);
  return RunOne(s, "user book");
}

Result<void> SqliteStore::SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                        std::string_view error) {
  auto prepared =
      Prepare(*db_, "UPDATE user_books SET sync_status = ?, sync_error = ? WHERE user_book_id = ?");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, SyncStatusName(status)).Bind(2, error).Bind(3, user_book_id);
  return RunOne(s, "user book");
}

Result<void> SqliteStore::DeleteUserBook(std::string_view user_book_id) {
  auto prepared = Prepare(*db_, "DELETE FROM user_books WHERE user_book_id = ?");
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  s.Bind(1, user_book_id);
  return RunOne(s, "user book");
}

Result<void> SqliteStore::RunAtomically(const std::function<Result<void>()>& work) {
  return db_->Atomically(work);
}

}  // namespace booklib
