// JSON-lines logging to stdout.
#include "core/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/enum_names.h"
#include "ports/clock.h"

namespace booklib {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_write;

constexpr EnumName<LogLevel> kLevelNames[] = {
    {LogLevel::kInfo, "info"},  // first: the name of any other value
    {LogLevel::kDebug, "debug"},
    {LogLevel::kWarn, "warn"},
    {LogLevel::kError, "error"}};

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (level < g_level.load()) return;
  nlohmann::json line;
  line["ts"] = IsoTimestamp(std::chrono::system_clock::now());
  line["level"] = NameOf(kLevelNames, level);
  line["msg"] = message;
  for (const LogField& field : fields)
    std::visit([&line, &field](const auto& value) { line[std::string(field.first)] = value; }, field.second);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::lock_guard lock(g_write);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace booklib
