// SQS event source events to QueueMessages, and the partial batch response back to Lambda.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ports/queue.h"

namespace booklib::lambda {

// Reads {"Records": [...]} as delivered by an SQS event source mapping, in order:
// messageId -> id, receiptHandle -> receipt_handle, body -> body,
// attributes.ApproximateReceiveCount (a decimal string) -> receive_count (0 when absent).
// Returns kInvalidArgument when the text is not JSON, Records is missing or not an array, or a
// record lacks a string messageId (without it the record's failure could not be reported).
Result<std::vector<QueueMessage>> MessagesFromSqsEvent(std::string_view event_json);

// {"batchItemFailures":[{"itemIdentifier":"<id>"},...]} in the given order; an empty list means
// the whole batch succeeded. Lambda then deletes every message not listed.
std::string BatchItemFailuresJson(const std::vector<std::string>& failed_message_ids);

}  // namespace booklib::lambda
