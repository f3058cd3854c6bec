// One SQLite database file shared by the SQLite store and the SQLite queue: connections, prepared
// statements, transactions that span both, and the versioned schema.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace booklib::sqlite {

// A prepared statement, reset on destruction so the connection can reuse it.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, std::int64_t value);
  Statement& BindNull(int index);
  Statement& Bind(int index, std::optional<int> value);
  // A floating-point value (named apart so an int argument never picks between two overloads).
  Statement& BindReal(int index, double value);

  // SQLITE_ROW -> true, SQLITE_DONE -> false; other codes -> an Error.
  Result<bool> Step();
  // Steps until done. kAlreadyExists on a UNIQUE/PRIMARY KEY violation (message names the index).
  Result<void> Run();

  std::string Text(int column) const;
  std::int64_t Int(int column) const;
  double Real(int column) const;  // an INTEGER column value converted, as SQLite does
  bool IsNull(int column) const;
  int Changes() const;

 private:
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for `sql`. kInternal if the SQL does not compile.
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql);
  Result<void> Execute(std::string_view sql);  // for statements without parameters
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

class Database;

// A connection held for one operation; returned to the pool when it goes out of scope.
class ConnectionLease {
 public:
  ConnectionLease(Database* owner, Connection* connection, bool owned)
      : owner_(owner), connection_(connection), owned_(owned) {}
  ~ConnectionLease();
  ConnectionLease(ConnectionLease&& other) noexcept
      : owner_(other.owner_), connection_(other.connection_), owned_(other.owned_) {
    other.owned_ = false;
  }
  ConnectionLease(const ConnectionLease&) = delete;
  ConnectionLease& operator=(const ConnectionLease&) = delete;
  ConnectionLease& operator=(ConnectionLease&&) = delete;
  Connection* operator->() { return connection_; }
  Connection& operator*() { return *connection_; }

 private:
  Database* owner_;
  Connection* connection_;
  bool owned_;
};

class Database {
 public:
  // Opens (creating) the file, enables WAL and foreign keys, applies pending migrations.
  static Result<std::shared_ptr<Database>> Open(const std::string& path);
  ~Database();

  // A connection for this thread. Inside Atomically() on this thread, the transaction's one.
  Result<ConnectionLease> Acquire();

  // Runs `work` in one write transaction (BEGIN IMMEDIATE). Nested calls join the outer one.
  Result<void> Atomically(const std::function<Result<void>()>& work);

  // Runs `work` in one read transaction (BEGIN DEFERRED) on one connection, so that every
  // statement it runs sees the same committed state (a reader never sees half of a write).
  // Inside Atomically() or ReadConsistently() on this thread, runs in that transaction.
  // REQUIRES: `work` only reads.
  Result<void> ReadConsistently(const std::function<Result<void>()>& work);

  // True inside Atomically() or ReadConsistently() on this thread.
  bool InTransactionOnThisThread() const;

  // Schema version after Open().
  int SchemaVersion();

  // Runs `pragma` on every connection, open now and opened later: "PRAGMA query_only=1" holds
  // every write back (a maintenance pause; tests use it as a read-only disk), a max_page_count
  // caps the file. REQUIRES: no other thread uses the database meanwhile.
  Result<void> ApplyToEveryConnection(std::string pragma);

  // ok when a write could commit now: a write transaction can begin and write (then rolls back),
  // the database may still grow (below max_page_count, or free pages left) and the disk beside the
  // file has at least 1 MiB free. kUnavailable with the ErrorDetail of what stands in the way.
  Result<void> CheckWritable();

 private:
  friend class ConnectionLease;
  explicit Database(std::string path) : path_(std::move(path)) {}
  Result<std::unique_ptr<Connection>> OpenConnection();
  void Release(Connection* connection);
  Result<void> Migrate();

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> idle_;
  std::vector<std::string> connection_pragmas_;  // REQUIRES: mutex_ held
};

}  // namespace booklib::sqlite
