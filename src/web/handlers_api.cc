// The JSON API under /api/v1 (its document: api/openapi.json, served at /api/v1/openapi.json):
// the library's entries, reads, progress and shelves, the ISBN of a photo, the caller, and the
// caller's personal tokens. Every route is kApi or kApiSession: App::Wrap has checked the caller,
// the token's scope, the CSRF header and the body's media type before a handler runs.
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/isbn.h"
#include "text/ascii.h"
#include "text/codec.h"
#include "web/api_json.h"
#include "web/app.h"
#include "web/assets.h"
#include "web/book_view.h"
#include "web/html_out.h"
#include "web/json_response.h"
#include "web/multipart.h"
#include "web/static_assets.h"

namespace booklib::web {
namespace {

using nlohmann::json;

// A problem with one field of the request body, for ApiError's "field".
struct BodyError {
  std::string field;
  std::string message;
};

// The request body as a JSON object; an empty body is an empty object (for writes without fields).
std::variant<json, Response> JsonObjectBody(const Request& request) {
  if (text::TrimWhitespace(request.body).empty()) return json::object();
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return ApiError(400, "invalid_argument", "The request body is not valid JSON.");
  if (!body.is_object()) return ApiError(400, "invalid_argument", "The request body must be a JSON object.");
  return body;
}

// Field `name` of `body` as text into `out` (when present): a string, or for `number_ok` a number
// (page_count: 320 -> "320"); null clears ("").
std::optional<BodyError> TextField(const json& body, std::string_view name, std::optional<std::string>& out,
                                   bool number_ok = false) {
  const auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) {
    out = "";
  } else if (it->is_string()) {
    out = it->get<std::string>();
  } else if (number_ok && it->is_number_integer()) {
    out = std::to_string(it->get<std::int64_t>());
  } else {
    return BodyError{std::string(name), std::string(name) + (number_ok ? " must be a whole number or null"
                                                                       : " must be a string or null")};
  }
  return std::nullopt;
}

// A rating as JSON (a number of stars in halves, or null for none) as the forms write it.
std::optional<BodyError> RatingField(const json& body, std::optional<std::string>& out) {
  const auto it = body.find("rating");
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) {
    out = "";
    return std::nullopt;
  }
  BodyError bad{"rating", "rating must be from 0.5 to 5 in half stars, or null for none"};
  if (!it->is_number()) return bad;
  const double halves = it->get<double>() * 2;
  if (halves < 1 || halves > 10 || std::abs(halves - std::round(halves)) > 1e-9) return bad;
  out = RatingText(static_cast<int>(std::lround(halves)));
  return std::nullopt;
}

// The names of `body` that are not in `known`.
std::optional<BodyError> UnknownField(const json& body, std::initializer_list<std::string_view> known,
                                      bool details_too = false) {
  for (const auto& [name, value] : body.items()) {
    bool listed = std::find(known.begin(), known.end(), name) != known.end();
    if (details_too)
      listed = listed || std::find(kTypedDetailFields.begin(), kTypedDetailFields.end(), name) !=
                             kTypedDetailFields.end();
    if (!listed) return BodyError{name, "Unknown field \"" + name + "\""};
  }
  return std::nullopt;
}

Response BodyErrorAnswer(const BodyError& error) {
  return ApiError(400, "invalid_argument", error.message, error.field);
}

// A path segment as the client meant it ("Sci%20fi" -> "Sci fi"); nullopt when malformed.
std::optional<std::string> Segment(const PathParams& params, const std::string& name) {
  return text::PercentDecode(params.at(name), /*plus_is_space=*/false);
}

Response NoContent() {
  Response response;
  response.status = 204;
  return response;
}

}  // namespace

Response App::ApiEntryAnswer(RequestContext& ctx, std::string_view id, int status) const {
  auto entry = library_.GetBook(ctx.UserId(), id);
  if (!entry) return ApiErrorFor(entry.error());
  return JsonResponse(status, EntryJson(*entry));
}

Response App::ApiMe(RequestContext& ctx, const PathParams&) const {
  if (!ctx.user) return ApiError(401, "unauthenticated", "Log in, or send a personal token.");  // Wrap did
  const User& user = *ctx.user;
  return JsonResponse(200, {{"id", user.id},
                            {"username", user.username},
                            {"email", user.email},
                            {"created_at", user.created_at},
                            {"auth", ctx.token ? "token" : "session"},
                            {"scope", ctx.token ? TokenScopeName(ctx.token->scope) : "read-write"}});
}

// GET /api/v1/books: the library page's view (q, status, shelf, rating, sync, owned, sort, page) as
// JSON, with links to the pages either side; validated like the page (ETag, 304).
Response App::ApiListBooks(RequestContext& ctx, const PathParams&) const {
  auto fields = ParseUrlEncoded(ctx.request.query, 32);
  if (!fields) return ApiError(400, "invalid_argument", "The query string is malformed.");
  const LibraryParams params = LibraryParamsFrom(*fields);
  const std::string etag = LibraryEtag(ctx);
  if (auto unchanged = NotModified(ctx, etag)) return *std::move(unchanged);
  if (auto cached = CachedPage(etag, "application/json")) return *std::move(cached);
  auto view = library_.Browse(ctx.UserId(), params);
  if (!view) return ApiErrorFor(view.error(), QueryFieldOf(view.error().message));
  return KeepPage(etag, JsonResponse(200, LibraryViewJson(*view, params)));
}

// POST /api/v1/books: by ISBN ({"isbn": ...}, details fetched in the background) or by title.
Response App::ApiAddBook(RequestContext& ctx, const PathParams&) const {
  auto body = JsonObjectBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"isbn", "status", "rating"}, /*details_too=*/true))
    return BodyErrorAnswer(*unknown);
  BookForm form;
  std::optional<std::string> value;
  for (const std::string_view name : {"isbn", "status"}) {
    value.reset();
    if (auto bad = TextField(fields, name, value)) return BodyErrorAnswer(*bad);
    if (value) *BookFormField(form, name) = *value;
  }
  value.reset();
  if (auto bad = RatingField(fields, value)) return BodyErrorAnswer(*bad);
  if (value) form.rating = *value;
  for (const std::string_view name : kTypedDetailFields) {
    value.reset();
    if (auto bad = TextField(fields, name, value, name == "page_count")) return BodyErrorAnswer(*bad);
    if (value) *BookFormField(form, name) = *value;
  }
  auto added = library_.AddBook(ctx.UserId(), form);
  if (!added) return ApiErrorFor(added.error(), FieldOf(added.error().message));
  Response response = JsonResponse(201, EntryJson(*added));
  response.SetHeader("Location", "/api/v1/books/" + added->user_book.id);
  return response;
}

Response App::ApiGetBook(RequestContext& ctx, const PathParams& params) const {
  const std::string etag = LibraryEtag(ctx);
  if (auto unchanged = NotModified(ctx, etag)) return *std::move(unchanged);
  return Validated(ApiEntryAnswer(ctx, params.at("id")), etag);
}

// PATCH /api/v1/books/{id}: any of status (with status_date), rating, review, notes, owned and the
// typed details, in one write.
Response App::ApiUpdateBook(RequestContext& ctx, const PathParams& params) const {
  auto body = JsonObjectBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"status", "status_date", "rating", "review", "notes", "owned"},
                                  /*details_too=*/true))
    return BodyErrorAnswer(*unknown);
  EntryChange change;
  std::optional<std::string> date;
  for (const auto& [name, out] : {std::pair{"status", &change.status},
                                  {"status_date", &date},
                                  {"review", &change.review},
                                  {"notes", &change.notes}})
    if (auto bad = TextField(fields, name, *out)) return BodyErrorAnswer(*bad);
  if (date && !change.status)
    return ApiError(400, "invalid_argument", "status_date goes with a status", "status_date");
  change.status_date = date.value_or("");
  if (auto bad = RatingField(fields, change.rating)) return BodyErrorAnswer(*bad);
  if (const auto owned = fields.find("owned"); owned != fields.end()) {
    if (!owned->is_boolean())
      return ApiError(400, "invalid_argument", "owned must be true or false", "owned");
    change.owned = owned->get<bool>();
  }
  for (const std::string_view name : kTypedDetailFields) {
    std::optional<std::string> value;
    if (auto bad = TextField(fields, name, value, name == "page_count")) return BodyErrorAnswer(*bad);
    if (value) change.details.emplace_back(name, *value);
  }
  if (auto changed = library_.UpdateEntry(ctx.UserId(), params.at("id"), change); !changed)
    return ApiErrorFor(changed.error(), FieldOf(changed.error().message));
  return ApiEntryAnswer(ctx, params.at("id"));
}

Response App::ApiDeleteBook(RequestContext& ctx, const PathParams& params) const {
  if (auto deleted = library_.DeleteBook(ctx.UserId(), params.at("id")); !deleted)
    return ApiErrorFor(deleted.error());
  return NoContent();
}

Response App::ApiRetryBook(RequestContext& ctx, const PathParams& params) const {
  if (auto retried = library_.RetryMetadata(ctx.UserId(), params.at("id")); !retried)
    return ApiErrorFor(retried.error());
  return ApiEntryAnswer(ctx, params.at("id"), 202);
}

// PUT /api/v1/books/{id}/progress: {"value": 120, "unit": "page"}; a null value clears it.
Response App::ApiSetProgress(RequestContext& ctx, const PathParams& params) const {
  auto body = JsonObjectBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"value", "unit"})) return BodyErrorAnswer(*unknown);
  std::optional<std::string> value;
  std::optional<std::string> unit;
  if (!fields.contains("value"))
    return ApiError(400, "invalid_argument", "Send the progress as value (null clears it)", "value");
  if (auto bad = TextField(fields, "value", value, /*number_ok=*/true)) return BodyErrorAnswer(*bad);
  const std::string number = value.value_or("");
  if (!number.empty() && fields["value"].is_string())
    return ApiError(400, "invalid_argument", "value must be a whole number or null", "value");
  if (auto bad = TextField(fields, "unit", unit)) return BodyErrorAnswer(*bad);
  if (!number.empty() && !unit)
    return ApiError(400, "invalid_argument", "unit must be page or percent", "unit");
  if (auto set = library_.SetProgress(ctx.UserId(), params.at("id"), number, unit.value_or("")); !set)
    return ApiErrorFor(set.error(), "value");
  return ApiEntryAnswer(ctx, params.at("id"));
}

Response App::ApiListReads(RequestContext& ctx, const PathParams& params) const {
  return ApiReadsAnswer(ctx, params.at("id"));
}

Response App::ApiReadsAnswer(RequestContext& ctx, std::string_view id, int status) const {
  auto entry = library_.GetBook(ctx.UserId(), id);
  if (!entry) return ApiErrorFor(entry.error());
  return JsonResponse(status, {{"reads", ReadsJson(entry->user_book)}});
}

namespace {

// A read's fields from a JSON body: started_on, finished_on (dates or null), outcome.
std::variant<booklib::ReadForm, Response> ReadFormOf(const Request& request) {
  auto body = JsonObjectBody(request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"started_on", "finished_on", "outcome"}))
    return BodyErrorAnswer(*unknown);
  booklib::ReadForm form;
  for (const auto& [name, out] : {std::pair{"started_on", &form.started_on},
                                  {"finished_on", &form.finished_on},
                                  {"outcome", &form.outcome}}) {
    std::optional<std::string> value;
    if (auto bad = TextField(fields, name, value)) return BodyErrorAnswer(*bad);
    *out = value.value_or("");
  }
  return form;
}

}  // namespace

Response App::ApiAddRead(RequestContext& ctx, const PathParams& params) const {
  auto form = ReadFormOf(ctx.request);
  if (auto* refused = std::get_if<Response>(&form)) return std::move(*refused);
  if (auto added = library_.AddRead(ctx.UserId(), params.at("id"), std::get<booklib::ReadForm>(form)); !added)
    return ApiErrorFor(added.error(), FieldOf(added.error().message));
  return ApiReadsAnswer(ctx, params.at("id"), 201);
}

// PATCH /api/v1/books/{id}/reads/{read}: the fields given change; the others keep their values.
Response App::ApiEditRead(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry) return ApiErrorFor(entry.error());
  const auto& reads = entry->user_book.reads;
  const auto read =
      std::find_if(reads.begin(), reads.end(), [&](const Read& r) { return r.id == params.at("read"); });
  if (read == reads.end()) return ApiError(404, "not_found", "This book has no such read");
  auto body = JsonObjectBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"started_on", "finished_on", "outcome"}))
    return BodyErrorAnswer(*unknown);
  booklib::ReadForm form{read->started_on, read->finished_on, std::string(ReadOutcomeName(read->outcome))};
  for (const auto& [name, out] : {std::pair{"started_on", &form.started_on},
                                  {"finished_on", &form.finished_on},
                                  {"outcome", &form.outcome}}) {
    std::optional<std::string> value;
    if (auto bad = TextField(fields, name, value)) return BodyErrorAnswer(*bad);
    if (value) *out = *value;
  }
  if (auto edited = library_.EditRead(ctx.UserId(), params.at("id"), params.at("read"), form); !edited)
    return ApiErrorFor(edited.error(), FieldOf(edited.error().message));
  return ApiReadsAnswer(ctx, params.at("id"));
}

Response App::ApiDeleteRead(RequestContext& ctx, const PathParams& params) const {
  if (auto deleted = library_.DeleteRead(ctx.UserId(), params.at("id"), params.at("read")); !deleted)
    return ApiErrorFor(deleted.error());
  return NoContent();
}

Response App::ApiShelveBook(RequestContext& ctx, const PathParams& params) const {
  const auto shelf = Segment(params, "shelf");
  if (!shelf) return ApiError(400, "invalid_argument", "The shelf's name is malformed", "shelf");
  if (auto added = library_.AddToShelf(ctx.UserId(), params.at("id"), *shelf); !added)
    return ApiErrorFor(added.error(), "shelf");
  return ApiEntryAnswer(ctx, params.at("id"));
}

Response App::ApiUnshelveBook(RequestContext& ctx, const PathParams& params) const {
  const auto shelf = Segment(params, "shelf");
  if (!shelf) return ApiError(400, "invalid_argument", "The shelf's name is malformed", "shelf");
  if (auto removed = library_.RemoveFromShelf(ctx.UserId(), params.at("id"), *shelf); !removed)
    return ApiErrorFor(removed.error(), "shelf");
  return ApiEntryAnswer(ctx, params.at("id"));
}

Response App::ApiListShelves(RequestContext& ctx, const PathParams&) const { return ApiShelvesAnswer(ctx); }

Response App::ApiShelvesAnswer(RequestContext& ctx, int status) const {
  auto shelves = library_.Shelves(ctx.UserId());
  if (!shelves) return ApiErrorFor(shelves.error());
  return JsonResponse(status, {{"shelves", ShelvesJson(*shelves)}});
}

namespace {

// {"name": "..."} of a shelf request.
std::variant<std::string, Response> ShelfNameBody(const Request& request) {
  auto body = JsonObjectBody(request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"name"})) return BodyErrorAnswer(*unknown);
  const auto name = fields.find("name");
  if (name == fields.end() || !name->is_string())
    return ApiError(400, "invalid_argument", "Send the shelf's name as a string", "name");
  return name->get<std::string>();
}

}  // namespace

Response App::ApiCreateShelf(RequestContext& ctx, const PathParams&) const {
  auto name = ShelfNameBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&name)) return std::move(*refused);
  if (auto created = library_.CreateShelf(ctx.UserId(), std::get<std::string>(name)); !created)
    return ApiErrorFor(created.error(), "name");
  return ApiShelvesAnswer(ctx, 201);
}

Response App::ApiRenameShelf(RequestContext& ctx, const PathParams& params) const {
  const auto from = Segment(params, "shelf");
  if (!from) return ApiError(400, "invalid_argument", "The shelf's name is malformed", "shelf");
  auto name = ShelfNameBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&name)) return std::move(*refused);
  if (auto renamed = library_.RenameShelf(ctx.UserId(), *from, std::get<std::string>(name)); !renamed)
    return ApiErrorFor(renamed.error(), "name");
  return ApiShelvesAnswer(ctx);
}

Response App::ApiDeleteShelf(RequestContext& ctx, const PathParams& params) const {
  const auto name = Segment(params, "shelf");
  if (!name) return ApiError(400, "invalid_argument", "The shelf's name is malformed", "shelf");
  if (auto deleted = library_.DeleteShelf(ctx.UserId(), *name); !deleted) return ApiErrorFor(deleted.error());
  return NoContent();
}

// POST /api/v1/scan: the ISBN of a barcode photo (image/jpeg, image/png, or multipart/form-data
// with an "image" field). Adds nothing: the caller adds the book with POST /api/v1/books.
Response App::ApiScan(RequestContext& ctx, const PathParams&) const {
  const Request& request = ctx.request;
  const std::string_view type = request.Header("content-type");
  std::string_view image;
  std::vector<MultipartPart> parts;
  if (type.starts_with("multipart/form-data")) {
    auto parsed = ParseMultipart(type, request.body);
    if (!parsed)
      return ApiError(400, "invalid_argument", "The upload was malformed: " + parsed.error().message);
    parts = std::move(*parsed);
    for (const MultipartPart& part : parts)
      if (part.name == "image") image = part.body;
    if (image.empty())
      return ApiError(400, "invalid_argument", "Attach the photo in a form field named \"image\".", "image");
  } else if (type.starts_with("image/jpeg") || type.starts_with("image/png")) {
    image = request.body;
  } else {
    return ApiError(415, "unsupported_media_type",
                    "Send an image/jpeg or image/png photo, or multipart/form-data with an \"image\" field.");
  }
  if (!options_.decode_isbn_image)
    return ApiError(415, "unsupported_media_type", "Reading barcodes from photos is not enabled here.");
  if (image.size() > options_.max_image_bytes) return ApiError(413, "too_large", "The photo is too large.");
  auto isbn = options_.decode_isbn_image(image);
  if (!isbn) return ApiErrorFor(isbn.error(), "image");
  return JsonResponse(200, {{"isbn", *isbn}});
}

Response App::ApiListTokens(RequestContext& ctx, const PathParams&) const {
  if (options_.api_tokens == nullptr) return JsonResponse(200, {{"tokens", json::array()}});
  auto tokens = options_.api_tokens->List(ctx.UserId());
  if (!tokens) return ApiErrorFor(tokens.error());
  json list = json::array();
  for (const ApiToken& token : *tokens) list.push_back(TokenJson(token));
  return JsonResponse(200, {{"tokens", std::move(list)}});
}

Response App::ApiCreateToken(RequestContext& ctx, const PathParams&) const {
  if (options_.api_tokens == nullptr)
    return ApiError(403, "permission_denied", "Personal tokens are not enabled on this server.");
  auto body = JsonObjectBody(ctx.request);
  if (auto* refused = std::get_if<Response>(&body)) return std::move(*refused);
  const json& fields = std::get<json>(body);
  if (auto unknown = UnknownField(fields, {"name", "scope"})) return BodyErrorAnswer(*unknown);
  std::optional<std::string> name;
  std::optional<std::string> scope;
  if (auto bad = TextField(fields, "name", name)) return BodyErrorAnswer(*bad);
  if (auto bad = TextField(fields, "scope", scope)) return BodyErrorAnswer(*bad);
  auto made = options_.api_tokens->Create(ctx.UserId(), name.value_or(""), scope.value_or("read"));
  if (!made) return ApiErrorFor(made.error(), made.error().message.starts_with("Scope") ? "scope" : "name");
  json answer = TokenJson(made->token);
  answer["secret"] = made->secret;
  Response response = JsonResponse(201, answer);
  response.SetHeader("Location", "/api/v1/tokens/" + made->token.id);
  return response;
}

Response App::ApiRevokeToken(RequestContext& ctx, const PathParams& params) const {
  if (options_.api_tokens == nullptr) return ApiError(404, "not_found", "No such token");
  if (auto revoked = options_.api_tokens->Revoke(ctx.UserId(), params.at("token")); !revoked)
    return ApiErrorFor(revoked.error());
  return NoContent();
}

// The OpenAPI 3.1 document, embedded from src/web/api/openapi.json.
Response App::ApiDocument(RequestContext&, const PathParams&) const {
  static const std::string_view document = EmbeddedAssets().at("api/openapi.json");
  Response response;
  response.SetHeader("Content-Type", "application/json");
  response.SetHeader("Cache-Control", "no-cache");
  response.body = std::string(document);
  return response;
}

// GET /api/docs: the API's reference, Swagger UI (swagger-ui-dist, embedded) over the document.
Response App::ShowApiReference(RequestContext& ctx, const PathParams&) const {
  static const std::string css = HashedStaticName("swagger-ui.css");
  static const std::string bundle = HashedStaticName("swagger-ui-bundle.js");
  static const std::string script = HashedStaticName("api-docs.js");
  static const std::string favicon = HashedStaticName("favicon.svg");
  Response response;
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  // Swagger UI sets inline styles on its elements; scripts stay this origin's files only.
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  HtmlOut out(response.body);
  const std::string& base = options_.static_base;
  out.Raw(
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Booklib API reference</title>\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
  out.Escaped(base + "/" + favicon);
  out.Raw("\">\n<link rel=\"stylesheet\" href=\"");
  out.Escaped(base + "/" + css);
  out.Raw(
      "\">\n</head>\n<body>\n<p style=\"margin:1rem\"><a href=\"/account\">&larr; Back to Booklib</a> "
      "&middot; "
      "<a href=\"/api/v1/openapi.json\">openapi.json</a></p>\n<div id=\"swagger-ui\" "
      "data-document=\"/api/v1/openapi.json\" "
      "data-csrf-token=\"");
  out.Escaped(ctx.user ? ctx.CsrfToken() : std::string());
  out.Raw("\"></div>\n<script src=\"");
  out.Escaped(base + "/" + bundle);
  out.Raw("\"></script>\n<script src=\"");
  out.Escaped(base + "/" + script);
  out.Raw("\"></script>\n</body>\n</html>\n");
  return response;
}

}  // namespace booklib::web
