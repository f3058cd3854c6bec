// Reads Prometheus text exposition back into samples, so tests assert on what a scraper would see.
#pragma once

#include <map>
#include <sstream>
#include <string>

namespace booklib::testing {

// Every sample line of `text` ("name{labels} value"), keyed by "name{labels}" exactly as written.
// Comment lines (# HELP, # TYPE) are skipped; the value is parsed as a double ("+Inf" included).
inline std::map<std::string, double> ParsePrometheusSamples(const std::string& text) {
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

// The value of `series` ("name{labels}") in `text`, or 0 when absent (a counter not yet incremented).
inline double PrometheusSample(const std::string& text, const std::string& series) {
  const auto samples = ParsePrometheusSamples(text);
  const auto it = samples.find(series);
  return it == samples.end() ? 0 : it->second;
}

}  // namespace booklib::testing
