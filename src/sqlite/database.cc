// SQLite connections, statements, transactions and migrations.
#include "sqlite/database.h"

#include <filesystem>
#include <functional>

#include "core/log.h"
#include "sqlite/schema.h"

namespace booklib::sqlite {
namespace {

// The connection and database of the transaction open on this thread, if any.
thread_local Database* t_transaction_owner = nullptr;
thread_local Connection* t_transaction_connection = nullptr;

constexpr int kBusyTimeoutMs = 10000;

constexpr std::int64_t kStorageRetryAfterSeconds = 30;

// The kind of storage failure behind a primary result code, or kNone.
ErrorDetail StorageFailure(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return ErrorDetail::kStorageFull;
    case SQLITE_READONLY:
      return ErrorDetail::kStorageReadOnly;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorDetail::kStorageCorrupt;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return ErrorDetail::kStorageIo;
    default:
      return ErrorDetail::kNone;
  }
}

// The Error for a failed call that returned `rc`: storage failures are kUnavailable with their
// detail and a Retry-After (they clear once someone frees the disk or fixes the file) and are
// logged with SQLite's words, which stay in the message for the log and never reach a reader's
// page; busy/locked is kUnavailable; anything else kInternal.
Error SqliteError(int rc, std::string_view what, std::string_view message) {
  std::string text = std::string(what) + ": " + std::string(message);
  if (const ErrorDetail detail = StorageFailure(rc); detail != ErrorDetail::kNone) {
    Log(LogLevel::kError, "database storage failure",
        {{"cause", text}, {"code", static_cast<long long>(rc)}});
    return Error{ErrorCode::kUnavailable, std::move(text), kStorageRetryAfterSeconds, detail};
  }
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return Error{ErrorCode::kUnavailable, "database busy: " + std::string(message)};
  return Error{ErrorCode::kInternal, std::move(text)};
}

Error SqliteError(sqlite3* db, std::string_view what) {
  return SqliteError(sqlite3_extended_errcode(db), what, sqlite3_errmsg(db));
}

}  // namespace

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindReal(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::optional<int> value) {
  return value ? Bind(index, static_cast<std::int64_t>(*value)) : BindNull(index);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  sqlite3* db = sqlite3_db_handle(stmt_);
  const int extended = sqlite3_extended_errcode(db);
  const std::string message = sqlite3_errmsg(db);
  sqlite3_reset(stmt_);  // ready to be bound and run again
  if (rc == SQLITE_DONE) return false;
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY)
    return std::unexpected(Error{ErrorCode::kAlreadyExists, message});
  return std::unexpected(SqliteError(extended, "sqlite step", message));
}

Result<void> Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) return {};
  }
}

std::string Statement::Text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
              : std::string();
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
int Statement::Changes() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Result<std::unique_ptr<Statement>> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
      return std::unexpected(SqliteError(db_, "sqlite prepare"));
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return std::make_unique<Statement>(it->second);
}

Result<void> Connection::Execute(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message); rc != SQLITE_OK) {
    Error error = SqliteError(sqlite3_extended_errcode(db_), "sqlite", message ? message : "unknown error");
    sqlite3_free(message);
    return std::unexpected(error);
  }
  return {};
}

ConnectionLease::~ConnectionLease() {
  if (owned_) owner_->Release(connection_);
}

Result<std::shared_ptr<Database>> Database::Open(const std::string& path) {
  std::shared_ptr<Database> db(new Database(path));
  auto first = db->OpenConnection();
  if (!first) return std::unexpected(first.error());
  if (auto wal = (*first)->Execute("PRAGMA journal_mode=WAL"); !wal) return std::unexpected(wal.error());
  db->idle_.push_back(first->get());
  db->all_.push_back(std::move(*first));
  if (auto migrated = db->Migrate(); !migrated) return std::unexpected(migrated.error());
  return db;
}

Database::~Database() = default;

Result<std::unique_ptr<Connection>> Database::OpenConnection() {
  sqlite3* handle = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (const int rc = sqlite3_open_v2(path_.c_str(), &handle, flags, nullptr); rc != SQLITE_OK) {
    Error error =
        SqliteError(rc, "cannot open database " + path_, handle ? sqlite3_errmsg(handle) : "out of memory");
    if (error.code == ErrorCode::kInternal) error.code = ErrorCode::kUnavailable;
    sqlite3_close(handle);
    return std::unexpected(error);
  }
  auto connection = std::make_unique<Connection>(handle);
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the last ones.
  for (const char* pragma : {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL"})
    if (auto ok = connection->Execute(pragma); !ok) return std::unexpected(ok.error());
  return connection;
}

Result<ConnectionLease> Database::Acquire() {
  if (t_transaction_owner == this) return ConnectionLease(this, t_transaction_connection, /*owned=*/false);
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      Connection* connection = idle_.back();
      idle_.pop_back();
      return ConnectionLease(this, connection, /*owned=*/true);
    }
  }
  auto connection = OpenConnection();
  if (!connection) return std::unexpected(connection.error());
  const std::lock_guard lock(mutex_);
  for (const std::string& pragma : connection_pragmas_)
    if (auto ok = (*connection)->Execute(pragma); !ok) return std::unexpected(ok.error());
  Connection* raw = connection->get();
  all_.push_back(std::move(*connection));
  return ConnectionLease(this, raw, /*owned=*/true);
}

void Database::Release(Connection* connection) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(connection);
}

Result<void> Database::Atomically(const std::function<Result<void>()>& work) {
  if (t_transaction_owner == this) return work();
  auto lease = Acquire();
  if (!lease) return std::unexpected(lease.error());
  Connection& connection = **lease;
  if (auto begun = connection.Execute("BEGIN IMMEDIATE"); !begun) return begun;
  t_transaction_owner = this;
  t_transaction_connection = &connection;
  Result<void> result = work();
  t_transaction_owner = nullptr;
  t_transaction_connection = nullptr;
  if (!result) {
    (void)connection.Execute("ROLLBACK");
    return result;
  }
  if (auto committed = connection.Execute("COMMIT"); !committed) {
    (void)connection.Execute("ROLLBACK");
    return committed;
  }
  return {};
}

Result<void> Database::ReadConsistently(const std::function<Result<void>()>& work) {
  if (t_transaction_owner == this) return work();
  auto lease = Acquire();
  if (!lease) return std::unexpected(lease.error());
  Connection& connection = **lease;
  if (auto begun = connection.Execute("BEGIN DEFERRED"); !begun) return begun;
  t_transaction_owner = this;
  t_transaction_connection = &connection;
  Result<void> result = work();
  t_transaction_owner = nullptr;
  t_transaction_connection = nullptr;
  // Ending a read transaction only releases its snapshot; COMMIT and ROLLBACK are alike here.
  if (auto ended = connection.Execute("COMMIT"); !ended) {
    (void)connection.Execute("ROLLBACK");
    if (result) return ended;
  }
  return result;
}

bool Database::InTransactionOnThisThread() const { return t_transaction_owner == this; }

int Database::SchemaVersion() {
  auto lease = Acquire();
  if (!lease) return -1;
  auto stmt = (*lease)->Prepare("PRAGMA user_version");
  if (!stmt || !(*stmt)->Step().value_or(false)) return -1;
  return static_cast<int>((*stmt)->Int(0));
}

Result<void> Database::CheckWritable() {
  auto lease = Acquire();
  if (!lease) return std::unexpected(lease.error());
  Connection& connection = **lease;
  const auto number = [&](std::string_view pragma) -> Result<std::int64_t> {
    auto stmt = connection.Prepare(pragma);
    if (!stmt) return std::unexpected(stmt.error());
    auto row = (*stmt)->Step();
    if (!row) return std::unexpected(row.error());
    return *row ? (*stmt)->Int(0) : 0;
  };
  auto version = number("PRAGMA user_version");
  if (!version) return std::unexpected(version.error());
  if (auto begun = connection.Execute("BEGIN IMMEDIATE"); !begun) return begun;
  // Rewriting the header's version needs the write lock and a journal write; then undone.
  auto wrote = connection.Execute("PRAGMA user_version=" + std::to_string(*version));
  (void)connection.Execute("ROLLBACK");
  if (!wrote) return wrote;
  auto pages = number("PRAGMA page_count");
  auto max_pages = number("PRAGMA max_page_count");
  auto free_pages = number("PRAGMA freelist_count");
  if (!pages || !max_pages || !free_pages)
    return std::unexpected(!pages ? pages.error() : !max_pages ? max_pages.error() : free_pages.error());
  if (*pages >= *max_pages && *free_pages == 0)
    return std::unexpected(SqliteError(SQLITE_FULL, "sqlite", "database is at its max_page_count"));
  std::error_code ec;
  const auto folder = std::filesystem::absolute(path_, ec).parent_path();
  const auto space = std::filesystem::space(folder, ec);
  if (!ec && space.available < 1024 * 1024)
    return std::unexpected(SqliteError(SQLITE_FULL, "sqlite", "less than 1 MiB free on " + folder.string()));
  return {};
}

Result<void> Database::ApplyToEveryConnection(std::string pragma) {
  const std::lock_guard lock(mutex_);
  for (const auto& connection : all_)
    if (auto ok = connection->Execute(pragma); !ok) return ok;
  connection_pragmas_.push_back(std::move(pragma));
  return {};
}

Result<void> Database::Migrate() {
  // Up to date: no write transaction, so a file that cannot take writes still opens for reading.
  if (SchemaVersion() == static_cast<int>(Migrations().size())) return {};
  return Atomically([this]() -> Result<void> {
    const int current = SchemaVersion();
    const auto& migrations = Migrations();
    auto lease = Acquire();
    if (!lease) return std::unexpected(lease.error());
    for (int version = current; version < static_cast<int>(migrations.size()); ++version) {
      if (auto ok = (*lease)->Execute(migrations[version]); !ok) return ok;
      if (auto ok = (*lease)->Execute("PRAGMA user_version=" + std::to_string(version + 1)); !ok) return ok;
    }
    return {};
  });
}

}  // namespace booklib::sqlite
