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

// Writes {"ts":..., "level":..., "msg":..., <fields>} atomically as one line.
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

// Messages below `level` are dropped (default kInfo). Thread-safe.
void SetLogLevel(LogLevel level);

}  // namespace booklib
