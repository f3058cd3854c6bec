// JSON-lines logging to stdout.
#include "core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/enum_names.h"
#include "ports/clock.h"

namespace booklib {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_write;
thread_local std::string t_request_id;

constexpr EnumName<LogLevel> kLevelNames[] = {
    {LogLevel::kInfo, "info"},  // first: the name of any other value
    {LogLevel::kDebug, "debug"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"}};

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

LogScope::LogScope(std::string request_id) : previous_(std::exchange(t_request_id, std::move(request_id))) {}

LogScope::~LogScope() { t_request_id = std::move(previous_); }

const std::string& CurrentRequestId() { return t_request_id; }

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (level < g_level.load()) return;
  nlohmann::json line;
  line["ts"] = IsoTimestamp(std::chrono::system_clock::now());
  line["level"] = NameOf(kLevelNames, level);
  line["msg"] = message;
  if (!t_request_id.empty()) line["request_id"] = t_request_id;
  for (const LogField& field : fields)
    std::visit([&line, &field](const auto& value) { line[std::string(field.first)] = value; }, field.second);
  LogJsonLine(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void LogJsonLine(std::string_view json_object) {
  const std::lock_guard lock(g_write);
  std::fwrite(json_object.data(), 1, json_object.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace booklib
