// Builds an UpdateItem's UpdateExpression with placeholders for every name and value, so reserved
// words such as "status" and "language" need no special care.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace booklib::dynamodb {

class UpdateExpression {
 public:
  // SET attribute = value (a typed value such as StringValue("x")).
  UpdateExpression& Set(std::string_view attribute, nlohmann::json value);
  // REMOVE attribute.
  UpdateExpression& Remove(std::string_view attribute);
  // SET when `value` is not empty, else REMOVE (empty strings are stored as absent).
  UpdateExpression& SetOrRemove(std::string_view attribute, std::string_view value);
  // ConditionExpression "attribute_exists(<attribute>)": the update fails with
  // ConditionalCheckFailedException instead of creating a new item.
  UpdateExpression& RequireExisting(std::string_view key_attribute);
  // ConditionExpression: the item exists and its string attribute `attribute` is `value` (is
  // absent when `value` is empty). Replaces RequireExisting's condition.
  UpdateExpression& RequireRevision(std::string_view key_attribute, std::string_view attribute,
                                    std::string_view value);

  // ConditionExpression: also (AND) the string attribute `attribute` is `value`.
  // REQUIRES: RequireExisting or RequireRevision called before.
  UpdateExpression& AlsoRequire(std::string_view attribute, std::string_view value);

  // Adds UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues (when any) and
  // ConditionExpression (when required) to an UpdateItem input.
  void AddTo(nlohmann::json& input) const;

 private:
  std::string NamePlaceholder(std::string_view attribute);

  std::vector<std::string> sets_;
  std::vector<std::string> removes_;
  std::string condition_;
  nlohmann::json names_ = nlohmann::json::object();
  nlohmann::json values_ = nlohmann::json::object();
};

}  // namespace booklib::dynamodb
