// Template lookup and per-thread parsed-template cache.
#include "web/templates.h"

#include <map>
#include <memory>

#include "core/log.h"
#include "web/assets.h"

namespace booklib::web {

std::string RenderTemplate(std::string_view name, const TemplateData& data) {
  // kainjow's render is not const; one parsed copy per thread keeps rendering lock-free.
  thread_local std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>, std::less<>> parsed;
  auto it = parsed.find(name);
  if (it == parsed.end()) {
    const auto asset = EmbeddedAssets().find("templates/" + std::string(name) + ".html");
    if (asset == EmbeddedAssets().end()) {
      Log(LogLevel::kError, "unknown template", {{"template", std::string(name)}});
      return "";
    }
    auto compiled = std::make_unique<kainjow::mustache::mustache>(std::string(asset->second));
    if (!compiled->is_valid())
      Log(LogLevel::kError, "invalid template",
          {{"template", std::string(name)}, {"error", compiled->error_message()}});
    it = parsed.emplace(std::string(name), std::move(compiled)).first;
  }
  return it->second->render(data);
}

}  // namespace booklib::web
