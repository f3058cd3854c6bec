// The one logging call: a JSON object per line on stdout (request logs, worker events, errors).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace booklib {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogField = std::pair<std::string_view, std::string>;

// Writes {"ts":..., "level":..., "msg":..., <fields>} atomically as one line.
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

// Messages below `level` are dropped (default kInfo). Thread-safe.
void SetLogLevel(LogLevel level);

}  // namespace booklib
