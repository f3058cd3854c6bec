// Static files by plain and hashed name, indexed once.
#include "web/static_assets.h"

#include <map>

#include "crypto/crypto.h"
#include "web/assets.h"

namespace booklib::web {
namespace {

struct Entry {
  std::string_view bytes;
  std::string_view content_type;
  std::string hashed_name;
};

std::string_view ContentTypeOf(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string WithHash(std::string_view name, std::string_view bytes) {
  const std::string hash = crypto::Sha256Hex(bytes).substr(0, 10);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::string(name) + "." + hash;
  return std::string(name.substr(0, dot)) + "." + hash + std::string(name.substr(dot));
}

struct Index {
  std::map<std::string, Entry, std::less<>> by_name;
  std::map<std::string, std::string, std::less<>> plain_by_hashed;
};

const Index& AssetIndex() {
  static const Index index = [] {
    Index built;
    constexpr std::string_view kFolder = "static/";
    for (const auto* assets : {&EmbeddedAssets(), &VendoredAssets()})
      for (const auto& [path, bytes] : *assets) {
        if (!path.starts_with(kFolder)) continue;
        const std::string name(path.substr(kFolder.size()));
        Entry entry{bytes, ContentTypeOf(name), WithHash(name, bytes)};
        built.plain_by_hashed.emplace(entry.hashed_name, name);
        built.by_name.emplace(name, std::move(entry));
      }
    return built;
  }();
  return index;
}

}  // namespace

std::string HashedStaticName(std::string_view name) {
  const auto& index = AssetIndex();
  const auto it = index.by_name.find(name);
  return it == index.by_name.end() ? std::string(name) : it->second.hashed_name;
}

StaticAsset FindStaticAsset(std::string_view name) {
  const auto& index = AssetIndex();
  bool hashed = false;
  auto it = index.by_name.find(name);
  if (it == index.by_name.end()) {
    const auto plain = index.plain_by_hashed.find(name);
    if (plain == index.plain_by_hashed.end()) return {};
    it = index.by_name.find(plain->second);
    hashed = true;
  }
  return StaticAsset{it->second.bytes, it->second.content_type, hashed};
}

}  // namespace booklib::web
