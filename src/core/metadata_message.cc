// JSON encoding of the metadata message.
#include "core/metadata_message.h"

#include <nlohmann/json.hpp>

namespace booklib {

std::string EncodeMetadataMessage(std::string_view user_book_id, bool refresh, std::string_view request_id) {
  nlohmann::json message{{"user_book_id", user_book_id}};
  if (refresh) message["refresh"] = true;
  if (!request_id.empty()) message["request_id"] = request_id;
  return message.dump();
}

Result<MetadataRequest> DecodeMetadataMessage(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("user_book_id") || !json["user_book_id"].is_string() ||
      json["user_book_id"].get_ref<const std::string&>().empty())
    return Fail(ErrorCode::kInvalidArgument, "metadata message is not {\"user_book_id\": \"...\"}");
  const bool refresh =
      json.contains("refresh") && json["refresh"].is_boolean() && json["refresh"].get<bool>();
  const auto request_id = json.find("request_id");
  return MetadataRequest{
      json["user_book_id"].get<std::string>(), refresh,
      request_id != json.end() && request_id->is_string() ? request_id->get<std::string>() : ""};
}

}  // namespace booklib
