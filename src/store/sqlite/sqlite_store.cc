// SQLite implementation of the Store port: parameterised statements only.
#include "store/sqlite/sqlite_store.h"

namespace booklib {
namespace {

using sqlite::Statement;

// The nine detail columns of books and user_books, in BookDetails order (ReadDetails and
// BindDetails follow it).
constexpr std::string_view kDetailColumns[] = {"title",           "author",      "genre",
                                               "cover_image_url", "description", "publisher",
                                               "published_date",  "page_count",  "language"};

// The detail columns joined by ", ", each written `<prefix><column><suffix>`: ("b.", "") for a
// select list, ("", "") for an insert, ("", " = ?") for an update.
std::string DetailColumns(std::string_view prefix, std::string_view suffix = "") {
  std::string list;
  for (const std::string_view column : kDetailColumns) {
    if (!list.empty()) list += ", ";
    list.append(prefix).append(column).append(suffix);
  }
  return list;
}

// "?, ?, ..." with `count` parameters, for the VALUES of an insert.
std::string Parameters(int count) {
  std::string list;
  for (int i = 0; i < count; ++i) list += i == 0 ? "?" : ", ?";
  return list;
}

// The select list of a book (table alias b) as ReadBook reads it.
const std::string& BookColumns() {
  static const std::string columns = "b.book_id, b.isbn, " + DetailColumns("b.") + ", b.created_at";
  return columns;
}
constexpr int kBookColumnCount = 12;
// The select list of a shelf entry (table alias ub) as ReadUserBook reads it.
const std::string& UserBookColumns() {
  static const std::string columns =
      "ub.user_book_id, ub.user_id, ub.book_id, ub.status, ub.rating, ub.sync_status, ub.sync_error, "
      "ub.date_added, " +
      DetailColumns("ub.");
  return columns;
}

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
  if (!s.IsNull(first + 4))
    ub.rating_halves = static_cast<int>(s.Int(first + 4)) * 2;  // TODO(library): half stars
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

// Prepares `sql`, lets `bind` set its parameters and runs it (Statement::Run's errors).
template <class Bind>
Result<void> Execute(sqlite::Database& db, std::string_view sql, Bind bind) {
  auto prepared = Prepare(db, sql);
  if (!prepared) return std::unexpected(prepared.error());
  bind(**prepared);
  return (**prepared).Run();
}

// Execute for a statement that must change exactly one row: kNotFound naming `what` otherwise.
template <class Bind>
Result<void> ExecuteOne(sqlite::Database& db, std::string_view sql, std::string_view what, Bind bind) {
  auto prepared = Prepare(db, sql);
  if (!prepared) return std::unexpected(prepared.error());
  bind(**prepared);
  return RunOne(**prepared, what);
}

}  // namespace

Result<void> SqliteStore::CreateUser(const User& user) {
  const Result<void> inserted = Execute(
      *db_, "INSERT INTO users (user_id, username, email, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      [&](Statement& s) {
        s.Bind(1, user.id)
            .Bind(2, user.username)
            .Bind(3, user.email)
            .Bind(4, user.password_hash)
            .Bind(5, user.created_at);
      });
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
  return Execute(
      *db_, "INSERT INTO sessions (session_id, user_id, expires_at) VALUES (?, ?, ?)",
      [&](Statement& s) { s.Bind(1, session.id).Bind(2, session.user_id).Bind(3, session.expires_at); });
}

Result<Session> SqliteStore::FindSession(std::string_view session_id) {
  return FindOne(*db_, "SELECT session_id, user_id, expires_at FROM sessions WHERE session_id = ?",
                 session_id, "session", [](const Statement& s) {
                   return Session{s.Text(0), s.Text(1), s.Int(2)};
                 });
}

Result<void> SqliteStore::DeleteSession(std::string_view session_id) {
  return Execute(*db_, "DELETE FROM sessions WHERE session_id = ?",
                 [&](Statement& s) { s.Bind(1, session_id); });
}

Result<Book> SqliteStore::GetOrCreateBook(const Book& candidate) {
  auto inserted = Execute(
      *db_, "INSERT INTO books (book_id, isbn, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      [&](Statement& s) { s.Bind(1, candidate.id).Bind(2, candidate.isbn).Bind(3, candidate.created_at); });
  if (!inserted) return std::unexpected(inserted.error());
  return FindBookByIsbn(candidate.isbn);
}

Result<void> SqliteStore::CreateBook(const Book& book) {
  const std::string sql = "INSERT INTO books (book_id, isbn, " + DetailColumns("") +
                          ", created_at) VALUES (" + Parameters(kBookColumnCount) + ")";
  return Execute(*db_, sql, [&](Statement& s) {
    s.Bind(1, book.id);
    if (book.isbn.empty())
      s.BindNull(2);
    else
      s.Bind(2, book.isbn);
    BindDetails(s, 3, book.details);
    s.Bind(12, book.created_at);
  });
}

Result<Book> SqliteStore::FindBook(std::string_view book_id) {
  return FindOne(*db_, "SELECT " + BookColumns() + " FROM books b WHERE b.book_id = ?", book_id, "book",
                 [](const Statement& s) { return ReadBook(s, 0); });
}

Result<Book> SqliteStore::FindBookByIsbn(std::string_view isbn) {
  return FindOne(*db_, "SELECT " + BookColumns() + " FROM books b WHERE b.isbn = ?", isbn, "book",
                 [](const Statement& s) { return ReadBook(s, 0); });
}

Result<void> SqliteStore::UpdateBookDetails(std::string_view book_id, const BookDetails& details) {
  return ExecuteOne(*db_, "UPDATE books SET " + DetailColumns("", " = ?") + " WHERE book_id = ?", "book",
                    [&](Statement& s) {
                      BindDetails(s, 1, details);
                      s.Bind(10, book_id);
                    });
}

Result<void> SqliteStore::AddUserBook(const UserBook& ub) {
  const std::string sql =
      "INSERT INTO user_books (user_book_id, user_id, book_id, status, rating, sync_status, sync_error, "
      "date_added, " +
      DetailColumns("") + ") VALUES (" + Parameters(17) + ")";
  return Execute(*db_, sql, [&](Statement& s) {
    s.Bind(1, ub.id).Bind(2, ub.user_id).Bind(3, ub.book_id).Bind(4, ReadingStatusName(ub.status));
    s.Bind(5, ub.rating_halves ? std::optional<int>(*ub.rating_halves / 2) : std::nullopt)
        .Bind(6, SyncStatusName(ub.sync_status))
        .Bind(7, ub.sync_error)
        .Bind(8, ub.date_added);
    BindDetails(s, 9, ub.typed);
  });
}

Result<UserBook> SqliteStore::FindUserBook(std::string_view user_book_id) {
  return FindOne(*db_, "SELECT " + UserBookColumns() + " FROM user_books ub WHERE ub.user_book_id = ?",
                 user_book_id, "user book", [](const Statement& s) { return ReadUserBook(s, 0); });
}

Result<std::vector<LibraryEntry>> SqliteStore::ListLibrary(std::string_view user_id) {
  auto prepared =
      Prepare(*db_, "SELECT " + BookColumns() + ", " + UserBookColumns() +
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
  const std::string sql = "UPDATE user_books SET status = ?, rating = ?, sync_status = ?, sync_error = ?, " +
                          DetailColumns("", " = ?") + " WHERE user_book_id = ?";
  return ExecuteOne(*db_, sql, "user book", [&](Statement& s) {
    s.Bind(1, ReadingStatusName(ub.status))
        .Bind(2, ub.rating_halves ? std::optional<int>(*ub.rating_halves / 2) : std::nullopt)
        .Bind(3, SyncStatusName(ub.sync_status));
    s.Bind(4, ub.sync_error);
    BindDetails(s, 5, ub.typed);
    s.Bind(14, ub.id);
  });
}

Result<void> SqliteStore::SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                        std::string_view error) {
  return ExecuteOne(
      *db_, "UPDATE user_books SET sync_status = ?, sync_error = ? WHERE user_book_id = ?", "user book",
      [&](Statement& s) { s.Bind(1, SyncStatusName(status)).Bind(2, error).Bind(3, user_book_id); });
}

Result<void> SqliteStore::DeleteUserBook(std::string_view user_book_id) {
  return ExecuteOne(*db_, "DELETE FROM user_books WHERE user_book_id = ?", "user book",
                    [&](Statement& s) { s.Bind(1, user_book_id); });
}

Result<void> SqliteStore::RunAtomically(const std::function<Result<void>()>& work) {
  return db_->Atomically(work);
}

// TODO(library branch): placeholders until the adapter implements the reading model.
Result<LibraryPage> SqliteStore::QueryLibrary(std::string_view, const LibraryQuery&) {
  return Fail(ErrorCode::kUnavailable, "QueryLibrary: not implemented yet");
}
Result<std::vector<Shelf>> SqliteStore::ListShelves(std::string_view) {
  return Fail(ErrorCode::kUnavailable, "ListShelves: not implemented yet");
}
Result<void> SqliteStore::CreateShelf(std::string_view, std::string_view) {
  return Fail(ErrorCode::kUnavailable, "CreateShelf: not implemented yet");
}
Result<void> SqliteStore::RenameShelf(std::string_view, std::string_view, std::string_view) {
  return Fail(ErrorCode::kUnavailable, "RenameShelf: not implemented yet");
}
Result<void> SqliteStore::DeleteShelf(std::string_view, std::string_view) {
  return Fail(ErrorCode::kUnavailable, "DeleteShelf: not implemented yet");
}

}  // namespace booklib
