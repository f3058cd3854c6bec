// SQLite implementation of the Store port: parameterised statements only. The library page's
// search runs on an FTS5 index of SearchDocument per entry, its sorts on key columns; both are
// computed here in C++ from the entry (core/library_query.h), never re-derived in SQL.
#include "store/sqlite/sqlite_store.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <variant>

#include "core/log.h"
#include "text/ascii.h"

namespace booklib {
namespace {

using sqlite::Statement;

// The eleven detail columns of books and user_books, in BookDetails order (ReadDetails and
// BindDetails follow it).
constexpr std::string_view kDetailColumns[] = {
    "title",          "author",     "genre",    "cover_image_url", "description", "publisher",
    "published_date", "page_count", "language", "series",          "series_index"};
constexpr int kDetailCount = 11;

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
  static const std::string columns =
      "b.book_id, b.isbn, " + DetailColumns("b.") + ", b.created_at, b.details_source";
  return columns;
}
constexpr int kBookColumnCount = 4 + kDetailCount;
// The select list of a shelf entry (table alias ub) as ReadUserBook reads it (its reads and
// shelves live in their own tables: ReadParts).
const std::string& UserBookColumns() {
  static const std::string columns =
      "ub.user_book_id, ub.user_id, ub.book_id, ub.status, ub.rating, ub.sync_status, ub.sync_error, "
      "ub.date_added, " +
      DetailColumns("ub.") + ", ub.review, ub.notes, ub.owned, ub.progress_unit, ub.progress_value";
  return columns;
}
// The user_books columns an update changes (all but the keys), each written `<column><suffix>`,
// in the order BindUserBookChanges binds them.
std::string ChangeColumns(std::string_view suffix) {
  std::string list;
  for (const std::string_view column : {"status", "rating", "sync_status", "sync_error"})
    list.append(column).append(suffix).append(", ");
  list += DetailColumns("", suffix);
  for (const std::string_view column : {"review", "notes", "owned", "progress_unit", "progress_value"})
    list.append(", ").append(column).append(suffix);
  return list;
}
constexpr int kUserBookChangeCount = 4 + kDetailCount + 5;
constexpr int kUserBookInsertCount = 4 + kUserBookChangeCount;

// Reads the detail columns starting at `first`.
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
  d.series = s.Text(first + 9);
  d.series_index = s.Text(first + 10);
  return d;
}

// Binds the detail values to parameters first..first+10.
void BindDetails(Statement& s, int first, const BookDetails& d) {
  s.Bind(first, d.title)
      .Bind(first + 1, d.author)
      .Bind(first + 2, d.genre)
      .Bind(first + 3, d.cover_image_url);
  s.Bind(first + 4, d.description).Bind(first + 5, d.publisher).Bind(first + 6, d.published_date);
  s.Bind(first + 7, static_cast<std::int64_t>(d.page_count)).Bind(first + 8, d.language);
  s.Bind(first + 9, d.series).Bind(first + 10, d.series_index);
}

// The rating column holds stars, as the seed did: whole stars as integers (the seed's rows stay
// valid), half stars as reals (4.5).
void BindRating(Statement& s, int index, std::optional<int> halves) {
  if (!halves)
    s.BindNull(index);
  else if (*halves % 2 == 0)
    s.Bind(index, static_cast<std::int64_t>(*halves / 2));
  else
    s.BindReal(index, *halves / 2.0);
}

std::optional<int> ReadRating(const Statement& s, int column) {
  if (s.IsNull(column)) return std::nullopt;
  return static_cast<int>(std::lround(s.Real(column) * 2));
}

Book ReadBook(const Statement& s, int first) {
  return Book{s.Text(first), s.Text(first + 1), ReadDetails(s, first + 2), s.Text(first + 2 + kDetailCount),
              s.Text(first + 3 + kDetailCount)};
}

UserBook ReadUserBook(const Statement& s, int first) {
  UserBook ub;
  ub.id = s.Text(first);
  ub.user_id = s.Text(first + 1);
  ub.book_id = s.Text(first + 2);
  ub.status = ParseReadingStatus(s.Text(first + 3)).value_or(ReadingStatus::kToRead);
  ub.rating_halves = ReadRating(s, first + 4);
  ub.sync_status = ParseSyncStatus(s.Text(first + 5)).value_or(SyncStatus::kPending);
  ub.sync_error = s.Text(first + 6);
  ub.date_added = s.Text(first + 7);
  ub.typed = ReadDetails(s, first + 8);
  const int rest = first + 8 + kDetailCount;
  ub.review = s.Text(rest);
  ub.notes = s.Text(rest + 1);
  ub.owned = s.Int(rest + 2) != 0;
  ub.progress.unit = ParseProgressUnit(s.Text(rest + 3)).value_or(ProgressUnit::kNone);
  ub.progress.value = static_cast<int>(s.Int(rest + 4));
  return ub;
}

// Binds the values of ChangeColumns to parameters first.. .
void BindUserBookChanges(Statement& s, int first, const UserBook& ub) {
  s.Bind(first, ReadingStatusName(ub.status));
  BindRating(s, first + 1, ub.rating_halves);
  s.Bind(first + 2, SyncStatusName(ub.sync_status)).Bind(first + 3, ub.sync_error);
  BindDetails(s, first + 4, ub.typed);
  const int rest = first + 4 + kDetailCount;
  s.Bind(rest, ub.review)
      .Bind(rest + 1, ub.notes)
      .Bind(rest + 2, static_cast<std::int64_t>(ub.owned ? 1 : 0));
  s.Bind(rest + 3, ProgressUnitName(ub.progress.unit))
      .Bind(rest + 4, static_cast<std::int64_t>(ub.progress.value));
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

// Every row `sql` selects after `bind`, each handed to `each`.
template <class Bind, class Each>
Result<void> ForEachRow(sqlite::Database& db, std::string_view sql, Bind bind, Each each) {
  auto prepared = Prepare(db, sql);
  if (!prepared) return std::unexpected(prepared.error());
  Statement& s = **prepared;
  bind(s);
  while (true) {
    auto row = s.Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
    each(s);
  }
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

// --- An entry's reads and shelves (their own tables, kept in the entry's order) ---

Read ReadRead(const Statement& s, int first) {
  return Read{s.Text(first), s.Text(first + 1), s.Text(first + 2),
              ParseReadOutcome(s.Text(first + 3)).value_or(ReadOutcome::kInProgress)};
}

// Fills the reads and shelves of one entry. REQUIRES: inside a transaction with the entry's read.
Result<void> ReadParts(sqlite::Database& db, UserBook& ub) {
  auto reads = ForEachRow(
      db,
      "SELECT read_id, started_on, finished_on, outcome FROM user_book_reads WHERE user_book_id = ? "
      "ORDER BY position",
      [&](Statement& s) { s.Bind(1, ub.id); },
      [&](const Statement& s) { ub.reads.push_back(ReadRead(s, 0)); });
  if (!reads) return reads;
  return ForEachRow(
      db, "SELECT name FROM user_book_shelves WHERE user_book_id = ? ORDER BY position",
      [&](Statement& s) { s.Bind(1, ub.id); }, [&](const Statement& s) { ub.shelves.push_back(s.Text(0)); });
}

// Appends to the entries of `by_id` the reads and shelves that `reads_sql` and `shelves_sql` select
// after `bind` (the entry's id first, rows in position order); rows of other entries are skipped.
template <class Bind>
Result<void> ReadPartsInto(sqlite::Database& db, std::string_view reads_sql, std::string_view shelves_sql,
                           Bind bind, const std::unordered_map<std::string, UserBook*>& by_id) {
  auto reads = ForEachRow(db, reads_sql, bind, [&](const Statement& s) {
    if (auto it = by_id.find(s.Text(0)); it != by_id.end()) it->second->reads.push_back(ReadRead(s, 1));
  });
  if (!reads) return reads;
  return ForEachRow(db, shelves_sql, bind, [&](const Statement& s) {
    if (auto it = by_id.find(s.Text(0)); it != by_id.end()) it->second->shelves.push_back(s.Text(1));
  });
}

// Fills the reads and shelves of all of one user's `entries` with two statements.
Result<void> ReadPartsOfUser(sqlite::Database& db, std::string_view user_id,
                             std::vector<LibraryEntry>& entries) {
  std::unordered_map<std::string, UserBook*> by_id;
  for (LibraryEntry& entry : entries) by_id.emplace(entry.user_book.id, &entry.user_book);
  return ReadPartsInto(
      db,
      "SELECT r.user_book_id, r.read_id, r.started_on, r.finished_on, r.outcome FROM user_book_reads r "
      "JOIN user_books ub ON ub.user_book_id = r.user_book_id WHERE ub.user_id = ? "
      "ORDER BY r.user_book_id, r.position",
      "SELECT user_book_id, name FROM user_book_shelves WHERE user_id = ? ORDER BY user_book_id, position",
      [&](Statement& s) { s.Bind(1, user_id); }, by_id);
}

// `shelves` without later names equal to an earlier one but for ASCII case (the table keeps one
// row per name ignoring case, as the user's shelf list does).
std::vector<std::string> DistinctShelves(const std::vector<std::string>& shelves) {
  std::vector<std::string> distinct;
  for (const std::string& name : shelves)
    if (std::ranges::none_of(distinct,
                             [&](const std::string& kept) { return text::EqualsIgnoringCase(kept, name); }))
      distinct.push_back(name);
  return distinct;
}

// Replaces the entry's stored shelves with `shelves`, in their order.
Result<void> WriteShelves(sqlite::Database& db, std::string_view user_book_id,
                          const std::vector<std::string>& shelves) {
  auto cleared = Execute(db, "DELETE FROM user_book_shelves WHERE user_book_id = ?",
                         [&](Statement& s) { s.Bind(1, user_book_id); });
  if (!cleared) return cleared;
  const std::vector<std::string> distinct = DistinctShelves(shelves);
  for (std::size_t i = 0; i < distinct.size(); ++i) {
    auto inserted =
        Execute(db,
                "INSERT INTO user_book_shelves (user_book_id, user_id, position, name) "
                "SELECT user_book_id, user_id, ?, ? FROM user_books WHERE user_book_id = ?",
                [&](Statement& s) {
                  s.Bind(1, static_cast<std::int64_t>(i)).Bind(2, distinct[i]).Bind(3, user_book_id);
                });
    if (!inserted) return inserted;
  }
  return {};
}

// Replaces the entry's stored reads and shelves with the ones of `ub`.
Result<void> WriteParts(sqlite::Database& db, const UserBook& ub) {
  auto cleared = Execute(db, "DELETE FROM user_book_reads WHERE user_book_id = ?",
                         [&](Statement& s) { s.Bind(1, ub.id); });
  if (!cleared) return cleared;
  for (std::size_t i = 0; i < ub.reads.size(); ++i) {
    const Read& read = ub.reads[i];
    auto inserted =
        Execute(db,
                "INSERT INTO user_book_reads (user_book_id, position, read_id, started_on, "
                "finished_on, outcome) VALUES (?, ?, ?, ?, ?, ?)",
                [&](Statement& s) {
                  s.Bind(1, ub.id).Bind(2, static_cast<std::int64_t>(i)).Bind(3, read.id);
                  s.Bind(4, read.started_on).Bind(5, read.finished_on).Bind(6, ReadOutcomeName(read.outcome));
                });
    if (!inserted) return inserted;
  }
  return WriteShelves(db, ub.id, ub.shelves);
}

// The entry with its book, reads and shelves. kNotFound when there is no such entry.
// REQUIRES: inside a transaction (the parts must belong to the row read).
Result<LibraryEntry> LoadEntry(sqlite::Database& db, std::string_view user_book_id) {
  auto entry =
      FindOne(db,
              "SELECT " + BookColumns() + ", " + UserBookColumns() +
                  " FROM user_books ub JOIN books b ON b.book_id = ub.book_id WHERE ub.user_book_id = ?",
              user_book_id, "user book", [](const Statement& s) {
                return LibraryEntry{ReadUserBook(s, kBookColumnCount), ReadBook(s, 0)};
              });
  if (!entry) return entry;
  if (auto parts = ReadParts(db, entry->user_book); !parts) return std::unexpected(parts.error());
  return entry;
}

// The entries `ids` in that order, with their books, reads and shelves, in three statements (a
// page of 50 by one statement each would be 150). The ids travel as one JSON array parameter, so
// each statement is prepared once whatever the page's size. An id without an entry is skipped.
Result<std::vector<LibraryEntry>> LoadEntries(sqlite::Database& db, const std::vector<std::string>& ids) {
  std::vector<LibraryEntry> entries;
  if (ids.empty()) return entries;
  std::string id_list = "[";  // a JSON array of strings (ids are UUIDs; quotes and controls escaped anyway)
  for (const std::string& id : ids) {
    id_list += id_list.size() > 1 ? ",\"" : "\"";
    for (const char c : id) {
      if (c == '"' || c == '\\') {
        id_list += '\\';
        id_list += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        id_list += "\\u00";
        id_list += kHex[(c >> 4) & 15];
        id_list += kHex[c & 15];
      } else {
        id_list += c;
      }
    }
    id_list += '"';
  }
  id_list += ']';
  const auto bind_ids = [&](Statement& st) { st.Bind(1, id_list); };
  static const std::string kEntriesSql = "SELECT " + BookColumns() + ", " + UserBookColumns() +
                                         " FROM user_books ub JOIN books b ON b.book_id = ub.book_id "
                                         "WHERE ub.user_book_id IN (SELECT value FROM json_each(?))";
  std::unordered_map<std::string, LibraryEntry> by_id;
  auto loaded = ForEachRow(db, kEntriesSql, bind_ids, [&](const Statement& st) {
    LibraryEntry entry{ReadUserBook(st, kBookColumnCount), ReadBook(st, 0)};
    std::string id = entry.user_book.id;
    by_id.emplace(std::move(id), std::move(entry));
  });
  if (!loaded) return std::unexpected(loaded.error());
  std::unordered_map<std::string, UserBook*> parts_of;
  for (auto& [id, entry] : by_id) parts_of.emplace(id, &entry.user_book);
  auto parts =
      ReadPartsInto(db,
                    "SELECT user_book_id, read_id, started_on, finished_on, outcome FROM user_book_reads "
                    "WHERE user_book_id IN (SELECT value FROM json_each(?)) ORDER BY user_book_id, position",
                    "SELECT user_book_id, name FROM user_book_shelves "
                    "WHERE user_book_id IN (SELECT value FROM json_each(?)) ORDER BY user_book_id, position",
                    bind_ids, parts_of);
  if (!parts) return std::unexpected(parts.error());
  entries.reserve(ids.size());
  for (const std::string& id : ids)
    if (auto it = by_id.find(id); it != by_id.end()) entries.push_back(std::move(it->second));
  return entries;
}

// --- The library index: sort keys in user_books, a SearchDocument per entry in library_search ---

// Writes the entry's sort keys and search document as its current state has them.
// REQUIRES: inside a write transaction. kNotFound when there is no such entry.
Result<void> IndexEntry(sqlite::Database& db, std::string_view user_book_id) {
  auto entry = LoadEntry(db, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  const BookDetails shown = entry->Shown();
  auto keys = Execute(
      db,
      "UPDATE user_books SET sort_title = ?, sort_author = ?, last_finished_on = ? WHERE user_book_id = ?",
      [&](Statement& s) {
        s.Bind(1, SortKey(shown.title)).Bind(2, SortKey(shown.author));
        s.Bind(3, LastFinishedOn(entry->user_book)).Bind(4, user_book_id);
      });
  if (!keys) return keys;
  auto numbered =
      Execute(db, "INSERT INTO library_documents (user_book_id) VALUES (?) ON CONFLICT DO NOTHING",
              [&](Statement& s) { s.Bind(1, user_book_id); });
  if (!numbered) return numbered;
  auto doc_id = FindOne(db, "SELECT doc_id FROM library_documents WHERE user_book_id = ?", user_book_id,
                        "library document", [](const Statement& s) { return s.Int(0); });
  if (!doc_id) return std::unexpected(doc_id.error());
  auto removed =
      Execute(db, "DELETE FROM library_search WHERE rowid = ?", [&](Statement& s) { s.Bind(1, *doc_id); });
  if (!removed) return removed;
  return Execute(db, "INSERT INTO library_search (rowid, document) VALUES (?, ?)",
                 [&](Statement& s) { s.Bind(1, *doc_id).Bind(2, SearchDocument(*entry)); });
}

Result<void> IndexEntries(sqlite::Database& db, const std::vector<std::string>& user_book_ids) {
  for (const std::string& id : user_book_ids)
    if (auto indexed = IndexEntry(db, id); !indexed) return indexed;
  return {};
}

// The ids of the user's entries on shelf `name` (ignoring case).
Result<std::vector<std::string>> EntriesOnShelf(sqlite::Database& db, std::string_view user_id,
                                                std::string_view name) {
  std::vector<std::string> ids;
  auto listed = ForEachRow(
      db, "SELECT user_book_id FROM user_book_shelves WHERE name = ? AND user_id = ?",
      [&](Statement& s) { s.Bind(1, name).Bind(2, user_id); },
      [&](const Statement& s) { ids.push_back(s.Text(0)); });
  if (!listed) return std::unexpected(listed.error());
  return ids;
}

// --- QueryLibrary in SQL ---

// False when `term` is a prefix of no word of any SearchDocument: documents are folded words, so
// they hold no ASCII capitals, spaces or punctuation. (SearchTerms never makes such a term; FTS5's
// tokenizer would fold or split it and find what MatchesTerms does not.)
bool CanMatch(std::string_view term) {
  return std::ranges::all_of(term, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z');
  });
}

// The FTS5 query for `terms`: each a quoted prefix ("term"*), all of them required.
std::string MatchExpression(const std::vector<std::string>& terms) {
  std::string expression;
  for (const std::string& term : terms) {
    if (!expression.empty()) expression += ' ';
    expression += '"';
    for (const char c : term) {
      if (c == '"') expression += '"';  // a quote inside a string is doubled
      expression += c;
    }
    expression += "\"*";
  }
  return expression;
}

// The ORDER BY of each LibrarySort, as EntryOrder in core/library_query.cc sorts (an empty key
// last, ties newest added first, then by id); each matches one index of user_books.
std::string_view OrderBy(LibrarySort sort) {
  switch (sort) {
    case LibrarySort::kTitle:
      return "ub.sort_title = '', ub.sort_title, ub.date_added DESC, ub.user_book_id";
    case LibrarySort::kAuthor:
      return "ub.sort_author = '', ub.sort_author, ub.date_added DESC, ub.user_book_id";
    case LibrarySort::kRating:  // NULL (unrated) is the smallest value, so last
      return "ub.rating DESC, ub.date_added DESC, ub.user_book_id";
    case LibrarySort::kDateFinished:
      return "ub.last_finished_on = '', ub.last_finished_on DESC, ub.date_added DESC, ub.user_book_id";
    case LibrarySort::kDateAdded:
      break;
  }
  return "ub.date_added DESC, ub.user_book_id";
}

// The WHERE clause of a query (over user_books ub) and its parameters in order.
struct Filter {
  std::string where;
  std::vector<std::variant<std::string, std::int64_t>> parameters;

  void Add(std::string_view condition) { where.append(" AND ").append(condition); }
  template <class Value>
  void Add(std::string_view condition, Value value) {
    Add(condition);
    parameters.emplace_back(std::move(value));
  }
  // Binds the parameters from 1; returns the next free index.
  int Bind(Statement& s) const {
    int index = 1;
    for (const auto& parameter : parameters)
      std::visit([&](const auto& value) { s.Bind(index++, value); }, parameter);
    return index;
  }
};

Filter FilterFor(std::string_view user_id, const LibraryQuery& query) {
  Filter filter;
  filter.where = "ub.user_id = ?";
  filter.parameters.emplace_back(std::string(user_id));
  if (query.status) filter.Add("ub.status = ?", std::string(ReadingStatusName(*query.status)));
  if (query.sync) filter.Add("ub.sync_status = ?", std::string(SyncStatusName(*query.sync)));
  if (query.owned) filter.Add("ub.owned = ?", static_cast<std::int64_t>(*query.owned ? 1 : 0));
  if (query.rating_stars) {
    // N whole stars take N and N + 0.5 (halves 2N and 2N + 1); 0 takes the unrated.
    if (*query.rating_stars == 0) {
      filter.Add("ub.rating IS NULL");
    } else {
      filter.Add("ub.rating >= ?", static_cast<std::int64_t>(*query.rating_stars));
      filter.Add("ub.rating < ?", static_cast<std::int64_t>(*query.rating_stars) + 1);
    }
  }
  if (!query.shelf.empty())  // the name column compares NOCASE
    filter.Add(
        "EXISTS (SELECT 1 FROM user_book_shelves s WHERE s.user_book_id = ub.user_book_id AND s.name = ?)",
        query.shelf);
  std::vector<std::string> terms;
  for (const std::string& term : query.terms) {
    if (term.empty()) continue;  // a prefix of every word
    if (!CanMatch(term)) {
      filter.Add("0");
      return filter;
    }
    terms.push_back(term);
  }
  if (!terms.empty())
    filter.Add(
        "ub.user_book_id IN (SELECT d.user_book_id FROM library_documents d WHERE d.doc_id IN "
        "(SELECT rowid FROM library_search WHERE library_search MATCH ?))",
        MatchExpression(terms));
  return filter;
}

}  // namespace

std::string SqliteStore::LibraryPageSql(const LibraryQuery& query) {
  return "SELECT ub.user_book_id FROM user_books ub WHERE " + FilterFor("", query).where + " ORDER BY " +
         std::string(OrderBy(query.sort)) + " LIMIT ? OFFSET ?";
}

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

// The triggers of schema migration 5 count the versions; a reader without a row has never written.
Result<std::string> SqliteStore::LibraryVersion(std::string_view user_id) {
  auto version = FindOne(*db_, "SELECT version FROM library_versions WHERE user_id = ?", user_id,
                         "library version", [](const Statement& s) { return std::to_string(s.Int(0)); });
  if (!version && version.error().code == ErrorCode::kNotFound) return std::string("0");
  return version;
}

Result<void> SqliteStore::DeleteSession(std::string_view session_id) {
  return Execute(*db_, "DELETE FROM sessions WHERE session_id = ?",
                 [&](Statement& s) { s.Bind(1, session_id); });
}

namespace {

constexpr std::string_view kApiTokenSelect =
    "SELECT token_id, user_id, name, scope, secret_hash, created_at, last_used_at FROM api_tokens ";

ApiToken ReadApiToken(const Statement& s) {
  return ApiToken{s.Text(0), s.Text(1), s.Text(2), ParseTokenScope(s.Text(3)).value_or(TokenScope::kRead),
                  s.Text(4), s.Text(5), s.Text(6)};
}

}  // namespace

Result<void> SqliteStore::CreateApiToken(const ApiToken& token) {
  auto created = Execute(*db_,
                         "INSERT INTO api_tokens (token_id, user_id, name, scope, secret_hash, created_at, "
                         "last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [&](Statement& s) {
                           s.Bind(1, token.id)
                               .Bind(2, token.user_id)
                               .Bind(3, token.name)
                               .Bind(4, TokenScopeName(token.scope))
                               .Bind(5, token.secret_hash)
                               .Bind(6, token.created_at)
                               .Bind(7, token.last_used_at);
                         });
  if (!created && created.error().code == ErrorCode::kAlreadyExists)
    return Fail(ErrorCode::kAlreadyExists, "api token");
  return created;
}

Result<std::vector<ApiToken>> SqliteStore::ListApiTokens(std::string_view user_id) {
  std::vector<ApiToken> tokens;
  auto listed = ForEachRow(
      *db_, std::string(kApiTokenSelect) + "WHERE user_id = ? ORDER BY created_at, token_id",
      [&](Statement& s) { s.Bind(1, user_id); },
      [&](const Statement& s) { tokens.push_back(ReadApiToken(s)); });
  if (!listed) return std::unexpected(listed.error());
  return tokens;
}

Result<ApiToken> SqliteStore::FindApiTokenByHash(std::string_view secret_hash) {
  return FindOne(*db_, std::string(kApiTokenSelect) + "WHERE secret_hash = ?", secret_hash, "api token",
                 ReadApiToken);
}

Result<void> SqliteStore::DeleteApiToken(std::string_view user_id, std::string_view token_id) {
  return ExecuteOne(*db_, "DELETE FROM api_tokens WHERE token_id = ? AND user_id = ?", "api token",
                    [&](Statement& s) { s.Bind(1, token_id).Bind(2, user_id); });
}

Result<void> SqliteStore::TouchApiToken(std::string_view user_id, std::string_view token_id,
                                        std::string_view used_at) {
  return ExecuteOne(*db_, "UPDATE api_tokens SET last_used_at = ? WHERE token_id = ? AND user_id = ?",
                    "api token",
                    [&](Statement& s) { s.Bind(1, used_at).Bind(2, token_id).Bind(3, user_id); });
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
                          ", created_at, details_source) VALUES (" + Parameters(kBookColumnCount) + ")";
  return Execute(*db_, sql, [&](Statement& s) {
    s.Bind(1, book.id);
    if (book.isbn.empty())
      s.BindNull(2);
    else
      s.Bind(2, book.isbn);
    BindDetails(s, 3, book.details);
    s.Bind(3 + kDetailCount, book.created_at).Bind(4 + kDetailCount, book.details_source);
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

Result<void> SqliteStore::UpdateBookDetails(std::string_view book_id, const BookDetails& details,
                                            std::string_view source) {
  return db_->Atomically([&]() -> Result<void> {
    auto updated = ExecuteOne(
        *db_, "UPDATE books SET " + DetailColumns("", " = ?") + ", details_source = ? WHERE book_id = ?",
        "book", [&](Statement& s) {
          BindDetails(s, 1, details);
          s.Bind(1 + kDetailCount, source).Bind(2 + kDetailCount, book_id);
        });
    if (!updated) return updated;
    // What every reader of this book is shown (and found and sorted by) may have changed.
    std::vector<std::string> ids;
    auto listed = ForEachRow(
        *db_, "SELECT user_book_id FROM user_books WHERE book_id = ?",
        [&](Statement& s) { s.Bind(1, book_id); }, [&](const Statement& s) { ids.push_back(s.Text(0)); });
    if (!listed) return listed;
    return IndexEntries(*db_, ids);
  });
}

Result<void> SqliteStore::AddUserBook(const UserBook& ub) {
  const std::string sql = "INSERT INTO user_books (user_book_id, user_id, book_id, date_added, " +
                          ChangeColumns("") + ") VALUES (" + Parameters(kUserBookInsertCount) + ")";
  return db_->Atomically([&]() -> Result<void> {
    auto inserted = Execute(*db_, sql, [&](Statement& s) {
      s.Bind(1, ub.id).Bind(2, ub.user_id).Bind(3, ub.book_id).Bind(4, ub.date_added);
      BindUserBookChanges(s, 5, ub);
    });
    if (!inserted) return inserted;
    if (auto parts = WriteParts(*db_, ub); !parts) return parts;
    return IndexEntry(*db_, ub.id);
  });
}

Result<UserBook> SqliteStore::FindUserBook(std::string_view user_book_id) {
  UserBook found;
  auto read = db_->ReadConsistently([&]() -> Result<void> {
    auto ub = FindOne(*db_, "SELECT " + UserBookColumns() + " FROM user_books ub WHERE ub.user_book_id = ?",
                      user_book_id, "user book", [](const Statement& s) { return ReadUserBook(s, 0); });
    if (!ub) return std::unexpected(ub.error());
    found = std::move(*ub);
    return ReadParts(*db_, found);
  });
  if (!read) return std::unexpected(read.error());
  return found;
}

Result<std::vector<LibraryEntry>> SqliteStore::ListLibrary(std::string_view user_id) {
  std::vector<LibraryEntry> entries;
  auto read = db_->ReadConsistently([&]() -> Result<void> {
    auto listed = ForEachRow(
        *db_,
        "SELECT " + BookColumns() + ", " + UserBookColumns() +
            " FROM user_books ub JOIN books b ON b.book_id = ub.book_id WHERE ub.user_id = ? "
            "ORDER BY ub.date_added DESC, ub.rowid DESC",
        [&](Statement& s) { s.Bind(1, user_id); },
        [&](const Statement& s) {
          entries.push_back(LibraryEntry{ReadUserBook(s, kBookColumnCount), ReadBook(s, 0)});
        });
    if (!listed) return listed;
    return ReadPartsOfUser(*db_, user_id, entries);
  });
  if (!read) return std::unexpected(read.error());
  return entries;
}

Result<void> SqliteStore::UpdateUserBook(const UserBook& ub) {
  const std::string sql = "UPDATE user_books SET " + ChangeColumns(" = ?") + " WHERE user_book_id = ?";
  return db_->Atomically([&]() -> Result<void> {
    auto updated = ExecuteOne(*db_, sql, "user book", [&](Statement& s) {
      BindUserBookChanges(s, 1, ub);
      s.Bind(1 + kUserBookChangeCount, ub.id);
    });
    if (!updated) return updated;
    if (auto parts = WriteParts(*db_, ub); !parts) return parts;
    return IndexEntry(*db_, ub.id);
  });
}

Result<void> SqliteStore::SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                        std::string_view error) {
  return ExecuteOne(
      *db_, "UPDATE user_books SET sync_status = ?, sync_error = ? WHERE user_book_id = ?", "user book",
      [&](Statement& s) { s.Bind(1, SyncStatusName(status)).Bind(2, error).Bind(3, user_book_id); });
}

Result<void> SqliteStore::DeleteUserBook(std::string_view user_book_id) {
  // Its reads, shelf memberships and library document go by ON DELETE CASCADE (and the trigger on
  // library_documents takes the search row).
  return ExecuteOne(*db_, "DELETE FROM user_books WHERE user_book_id = ?", "user book",
                    [&](Statement& s) { s.Bind(1, user_book_id); });
}

Result<void> SqliteStore::IndexEntriesWrittenBeforeTheIndex() {
  // Inside a caller's transaction the work could be rolled back with it (and waiting for the
  // mutex there could hold up the thread that has it): left to a query outside one.
  if (indexed_.load() || db_->InTransactionOnThisThread()) return {};
  const std::lock_guard lock(index_mutex_);
  if (indexed_.load()) return {};
  auto done = db_->Atomically([&]() -> Result<void> {
    std::vector<std::string> ids;
    auto listed = ForEachRow(
        *db_,
        "SELECT user_book_id FROM user_books ub "
        "WHERE NOT EXISTS (SELECT 1 FROM library_documents d WHERE d.user_book_id = ub.user_book_id)",
        [](Statement&) {}, [&](const Statement& s) { ids.push_back(s.Text(0)); });
    if (!listed) return listed;
    if (!ids.empty())
      Log(LogLevel::kInfo, "indexing library entries written before the search index",
          {{"entries", static_cast<long long>(ids.size())}});
    return IndexEntries(*db_, ids);
  });
  if (!done) return done;
  indexed_.store(true);
  return {};
}

Result<LibraryPage> SqliteStore::QueryLibrary(std::string_view user_id, const LibraryQuery& query) {
  if (auto indexed = IndexEntriesWrittenBeforeTheIndex(); !indexed)
    // A file that cannot take writes now still answers; entries from before the index are then
    // missing from searches and sort last by title and author until a later query indexes them.
    Log(LogLevel::kWarn, "library entries from before the search index are not indexed yet",
        {{"cause", indexed.error().message}});
  const Filter filter = FilterFor(user_id, query);
  LibraryPage page;
  const bool whole_library = filter.where == "ub.user_id = ?";  // no filter, no search
  auto read = db_->ReadConsistently([&]() -> Result<void> {
    int counted_statuses = 0;
    auto statuses = ForEachRow(
        *db_, "SELECT status, COUNT(*) FROM user_books WHERE user_id = ? GROUP BY status",
        [&](Statement& s) { s.Bind(1, user_id); },
        [&](const Statement& s) {
          counted_statuses += static_cast<int>(s.Int(1));
          if (auto status = ParseReadingStatus(s.Text(0)))
            page.status_counts.at(static_cast<std::size_t>(*status)) += static_cast<int>(s.Int(1));
        });
    if (!statuses) return statuses;
    if (whole_library) {  // the same rows the status counts just read: no second pass over them
      page.total = counted_statuses;
    } else {
      auto counted = ForEachRow(
          *db_, "SELECT COUNT(*) FROM user_books ub WHERE " + filter.where,
          [&](Statement& s) { filter.Bind(s); },
          [&](const Statement& s) { page.total = static_cast<int>(s.Int(0)); });
      if (!counted) return counted;
    }
    if (query.limit <= 0) return {};
    // The page's ids first, from the sort's index alone (skipping `offset` rows reads no entry),
    // then each entry by its id.
    std::vector<std::string> ids;
    auto listed = ForEachRow(
        *db_, LibraryPageSql(query),
        [&](Statement& s) {
          const int next = filter.Bind(s);
          s.Bind(next, static_cast<std::int64_t>(query.limit))
              .Bind(next + 1, static_cast<std::int64_t>(std::max(query.offset, 0)));
        },
        [&](const Statement& s) { ids.push_back(s.Text(0)); });
    if (!listed) return listed;
    auto entries = LoadEntries(*db_, ids);
    if (!entries) return std::unexpected(entries.error());
    page.entries = std::move(*entries);
    return {};
  });
  if (!read) return std::unexpected(read.error());
  return page;
}

Result<std::vector<Shelf>> SqliteStore::ListShelves(std::string_view user_id) {
  std::vector<Shelf> shelves;
  auto listed = ForEachRow(
      *db_,
      // Each count is one range of the (user_id, name) index; an entry is on a name once.
      "SELECT sh.name, (SELECT COUNT(*) FROM user_book_shelves s WHERE s.user_id = sh.user_id AND s.name = "
      "sh.name) FROM shelves sh WHERE sh.user_id = ?",
      [&](Statement& s) { s.Bind(1, user_id); },
      [&](const Statement& s) {
        shelves.push_back(Shelf{s.Text(0), static_cast<int>(s.Int(1))});
      });
  if (!listed) return std::unexpected(listed.error());
  std::vector<std::string> names;
  for (const Shelf& shelf : shelves) names.push_back(shelf.name);
  SortShelfNames(names);
  std::vector<Shelf> sorted;
  for (const std::string& name : names) sorted.push_back(*std::ranges::find(shelves, name, &Shelf::name));
  return sorted;
}

Result<void> SqliteStore::CreateShelf(std::string_view user_id, std::string_view name) {
  auto created = Execute(*db_, "INSERT INTO shelves (user_id, name) VALUES (?, ?)",
                         [&](Statement& s) { s.Bind(1, user_id).Bind(2, name); });
  if (!created && created.error().code == ErrorCode::kAlreadyExists)
    return Fail(ErrorCode::kAlreadyExists, "shelf exists");
  return created;
}

Result<void> SqliteStore::RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) {
  return db_->Atomically([&]() -> Result<void> {
    auto renamed = ExecuteOne(*db_, "UPDATE shelves SET name = ? WHERE user_id = ? AND name = ?", "shelf",
                              [&](Statement& s) { s.Bind(1, to).Bind(2, user_id).Bind(3, from); });
    if (!renamed && renamed.error().code == ErrorCode::kAlreadyExists)  // another shelf is called `to`
      return Fail(ErrorCode::kAlreadyExists, "shelf exists");
    if (!renamed) return renamed;
    auto ids = EntriesOnShelf(*db_, user_id, from);
    if (!ids) return std::unexpected(ids.error());
    for (const std::string& id : *ids) {
      UserBook ub;
      ub.id = id;
      if (auto parts = ReadParts(*db_, ub); !parts) return parts;
      for (std::string& name : ub.shelves)
        if (text::EqualsIgnoringCase(name, from)) name = std::string(to);
      SortShelfNames(ub.shelves);
      if (auto written = WriteShelves(*db_, id, ub.shelves); !written) return written;
    }
    return IndexEntries(*db_, *ids);
  });
}

Result<void> SqliteStore::DeleteShelf(std::string_view user_id, std::string_view name) {
  return db_->Atomically([&]() -> Result<void> {
    auto deleted = ExecuteOne(*db_, "DELETE FROM shelves WHERE user_id = ? AND name = ?", "shelf",
                              [&](Statement& s) { s.Bind(1, user_id).Bind(2, name); });
    if (!deleted) return deleted;
    auto ids = EntriesOnShelf(*db_, user_id, name);
    if (!ids) return std::unexpected(ids.error());
    for (const std::string& id : *ids) {
      auto taken_off = Execute(*db_, "DELETE FROM user_book_shelves WHERE user_book_id = ? AND name = ?",
                               [&](Statement& s) { s.Bind(1, id).Bind(2, name); });
      if (!taken_off) return taken_off;
    }
    return IndexEntries(*db_, *ids);
  });
}

Result<void> SqliteStore::RunAtomically(const std::function<Result<void>()>& work) {
  return db_->Atomically(work);
}

}  // namespace booklib
