// JSON encoding of the metadata message.
#include "core/metadata_message.h"

#include <nlohmann/json.hpp>

namespace booklib {

std::string EncodeMetadataMessage(std::string_view user_book_id) {
  return nlohmann::json{{"user_book_id", user_book_id}}.dump();
}

Result<std::string> DecodeMetadataMessage(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("user_book_id") || !json["user_book_id"].is_string() ||
      json["user_book_id"].get_ref<const std::string&>().empty())
    return Fail(ErrorCode::kInvalidArgument, "metadata message is not {\"user_book_id\": \"...\"}");
  return json["user_book_id"].get<std::string>();
}

}  // namespace booklib
