// UpdateItem expressions (see update_expression.h).
#include "store/dynamodb/update_expression.h"

#include "store/dynamodb/attribute_values.h"

namespace booklib::dynamodb {
namespace {

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

}  // namespace

std::string UpdateExpression::NamePlaceholder(std::string_view attribute) {
  for (const auto& [placeholder, name] : names_.items()) {
    if (name == attribute) return placeholder;
  }
  const std::string placeholder = "#n" + std::to_string(names_.size());
  names_[placeholder] = attribute;
  return placeholder;
}

UpdateExpression& UpdateExpression::Set(std::string_view attribute, nlohmann::json value) {
  const std::string placeholder = ":v" + std::to_string(values_.size());
  values_[placeholder] = std::move(value);
  sets_.push_back(NamePlaceholder(attribute) + " = " + placeholder);
  return *this;
}

UpdateExpression& UpdateExpression::Remove(std::string_view attribute) {
  removes_.push_back(NamePlaceholder(attribute));
  return *this;
}

UpdateExpression& UpdateExpression::SetOrRemove(std::string_view attribute, std::string_view value) {
  return value.empty() ? Remove(attribute) : Set(attribute, StringValue(value));
}

UpdateExpression& UpdateExpression::RequireExisting(std::string_view key_attribute) {
  condition_ = "attribute_exists(" + NamePlaceholder(key_attribute) + ")";
  return *this;
}

UpdateExpression& UpdateExpression::RequireRevision(std::string_view key_attribute,
                                                    std::string_view attribute, std::string_view value) {
  condition_ = "attribute_exists(" + NamePlaceholder(key_attribute) + ") AND ";
  if (value.empty()) {
    condition_ += "attribute_not_exists(" + NamePlaceholder(attribute) + ")";
    return *this;
  }
  const std::string placeholder = ":v" + std::to_string(values_.size());
  values_[placeholder] = StringValue(value);
  condition_ += NamePlaceholder(attribute) + " = " + placeholder;
  return *this;
}

UpdateExpression& UpdateExpression::AlsoRequire(std::string_view attribute, std::string_view value) {
  const std::string placeholder = ":v" + std::to_string(values_.size());
  values_[placeholder] = StringValue(value);
  condition_ += " AND " + NamePlaceholder(attribute) + " = " + placeholder;
  return *this;
}

void UpdateExpression::AddTo(nlohmann::json& input) const {
  std::string expression;
  if (!sets_.empty()) expression += "SET " + Join(sets_);
  if (!removes_.empty()) expression += (expression.empty() ? "REMOVE " : " REMOVE ") + Join(removes_);
  input["UpdateExpression"] = expression;
  if (!names_.empty()) input["ExpressionAttributeNames"] = names_;
  if (!values_.empty()) input["ExpressionAttributeValues"] = values_;
  if (!condition_.empty()) input["ConditionExpression"] = condition_;
}

}  // namespace booklib::dynamodb
