// Errors are values: every fallible call returns Result<T> = std::expected<T, Error>.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace booklib {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input is wrong; message says how (-> 400)
  kNotFound,          // no such thing, or not the caller's (-> 404)
  kAlreadyExists,     // a unique value is taken (-> 409)
  kUnauthenticated,   // not logged in or bad credentials (-> 401 / redirect)
  kPermissionDenied,  // logged in but not allowed, e.g. bad CSRF token (-> 403)
  kTooLarge,          // input exceeds a size bound (-> 413)
  kUnavailable,       // a dependency is down or throttling; retrying may help (-> 503)
  kTooManyRequests,   // the caller must slow down, e.g. repeated failed logins (-> 429)
  kInternal,          // a bug or a broken invariant (-> 500)
};

// What lies behind a kUnavailable from a store or queue, for callers that answer or log by kind
// (never by parsing the message, which carries the engine's own words for the log).
enum class ErrorDetail {
  kNone,
  kStorageFull,      // disk or database full (SQLITE_FULL)
  kStorageReadOnly,  // the file or its folder cannot be written (SQLITE_READONLY)
  kStorageCorrupt,   // the file is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB)
  kStorageIo,        // the operating system failed a read or write (SQLITE_IOERR, SQLITE_CANTOPEN)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // kTooManyRequests / kUnavailable: seconds after which trying again may succeed; 0 = not known.
  std::int64_t retry_after_seconds = 0;
  ErrorDetail detail = ErrorDetail::kNone;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message,
                                   std::int64_t retry_after_seconds = 0) {
  return std::unexpected<Error>(Error{code, std::move(message), retry_after_seconds});
}

// Short stable name for logs and JSON ("invalid_argument", ...).
const char* ErrorCodeName(ErrorCode code);

}  // namespace booklib
