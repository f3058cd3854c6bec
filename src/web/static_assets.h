// The static files compiled into the binary (src/web/static), each under its plain name and under
// a name carrying a hash of its bytes ("app.css" and "app.1a2b3c4d5e.css"). Pages link the hashed
// name, so a file's URL changes whenever its bytes do and browsers may keep it forever.
#pragma once

#include <string>
#include <string_view>

namespace booklib::web {

struct StaticAsset {
  std::string_view bytes;
  std::string_view content_type;
  bool hashed_name = false;  // found by its hashed name: its bytes never change under that URL
};

// "app.css" -> "app.<first 10 hex digits of the SHA-256 of its bytes>.css"; the name itself when
// there is no such file. (scripts/deploy-static.sh names the files it uploads the same way.)
std::string HashedStaticName(std::string_view name);

// The asset by its plain or its hashed name; bytes empty and content_type empty when none.
StaticAsset FindStaticAsset(std::string_view name);

}  // namespace booklib::web
