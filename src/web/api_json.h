// The API's JSON: the entries, reads, shelves and tokens as /api/v1 shows them (the schemas of
// api/openapi.json), and its errors, {"error": {"code", "message", "field"}}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "core/library.h"
#include "web/http.h"

namespace booklib::web {

// {"error": {"code": code, "message": message[, "field": field]}} with Content-Type application/json.
Response ApiError(int status, std::string_view code, std::string_view message, std::string_view field = "");
// A use case's error: its HTTP status (HttpStatusFor), ErrorCodeName and the reader's words
// (ReaderMessage), Retry-After when it says when to come back.
Response ApiErrorFor(const Error& error, std::string_view field = "");

// The request field a core message is about ("Rating must be ..." -> "rating"); "" when none is named.
std::string FieldOf(std::string_view message);
// The same for the library page's parameters ("Sort must be ..." -> "sort").
std::string QueryFieldOf(std::string_view message);

nlohmann::json EntryJson(const LibraryEntry& entry);
nlohmann::json ReadsJson(const UserBook& entry);
nlohmann::json ShelvesJson(const std::vector<Shelf>& shelves);
nlohmann::json TokenJson(const ApiToken& token);  // never the secret nor its hash
// One page of the library as GET /api/v1/books answers it, with links to the pages around it.
nlohmann::json LibraryViewJson(const LibraryView& view, const LibraryParams& params);

}  // namespace booklib::web
