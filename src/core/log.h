// The one logging call: a JSON object per line on stdout (request logs, worker events, errors).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace booklib {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// A field's value: text, or a number written as a JSON number (durations, statuses, counts).
using LogValue = std::variant<std::string, long long, double>;
using LogField = std::pair<std::string_view, LogValue>;

// Writes {"ts":..., "level":..., "msg":..., <fields>} atomically as one line; inside a LogScope the
// line also carries "request_id" (unless `fields` give one).
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

// Writes `json_object`, a complete JSON object built elsewhere (a CloudWatch Embedded Metric Format
// record), as one line under the same lock as Log, whatever the log level.
void LogJsonLine(std::string_view json_object);

// Messages below `level` are dropped (default kInfo). Thread-safe.
void SetLogLevel(LogLevel level);

// While it lives, every line this thread logs carries `request_id`: the id of the request being
// handled, or, in a worker, of the request that queued the message being processed, so one grep
// follows a book from the click to its lookup. Scopes nest (the innermost wins); an empty id adds
// nothing. REQUIRES: destroyed on the thread that made it, in reverse order of creation.
class LogScope {
 public:
  explicit LogScope(std::string request_id);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

 private:
  std::string previous_;
};

// The request id of this thread's innermost LogScope; empty outside any. The library puts it on
// the metadata message it queues (core/metadata_message.h).
const std::string& CurrentRequestId();

}  // namespace booklib
