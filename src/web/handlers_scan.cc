// POST /scan_isbn: an ISBN as JSON, or a barcode photo (raw JPEG/PNG or multipart field "image").
#include <nlohmann/json.hpp>
#include <variant>

#include "core/isbn.h"
#include "web/app.h"
#include "web/json_response.h"
#include "web/multipart.h"

namespace booklib::web {
namespace {

// Every answer has the seed's shape, {"success": ..., "message": ..., "isbn": ...}; a failure also
// carries its message as "error", like every JsonError (which this app's page reads).
Response ScanAnswer(int status, std::string_view message, std::string_view isbn,
                    nlohmann::json fields = nlohmann::json::object()) {
  const bool success = status >= 200 && status < 300;
  fields["success"] = success;
  fields["message"] = message;
  fields["isbn"] = isbn;
  if (!success) fields["error"] = message;
  return JsonResponse(status, fields);
}

// The ISBN text of a JSON body {"isbn": "..."}, or an error response.
std::variant<std::string, Response> IsbnFromJson(std::string_view body) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return JsonError(400, "The request body is not valid JSON.");
  if (!json.is_object() || !json.contains("isbn") || !json["isbn"].is_string() ||
      json["isbn"].get_ref<const std::string&>().empty())
    return JsonError(400, "Send {\"isbn\": \"...\"} with the ISBN as a string.");
  return json["isbn"].get<std::string>();
}

}  // namespace

Response App::ScanJson(RequestContext& ctx, std::string_view isbn_text) const {
  auto isbn = NormalizeIsbn(isbn_text);
  if (!isbn) return JsonError(400, isbn.error().message);
  BookForm form;
  form.isbn = *isbn;
  // /scan_isbn is a kUser route: the Page wrapper answered anonymous requests with a JSON 401.
  auto added = library_.AddBook(ctx.UserId(), form);
  if (!added) {
    Response response = ScanAnswer(HttpStatusFor(added.error()), ReaderMessage(added.error()), *isbn);
    SetRetryAfter(response, added.error());
    return response;
  }
  return ScanAnswer(200, "Book added to your library", *isbn,
                    {{"user_book_id", added->user_book.id},
                     {"sync_status", std::string(SyncStatusName(added->user_book.sync_status))}});
}

Response App::DoScanIsbn(RequestContext& ctx, const PathParams&) const {
  const Request& request = ctx.request;
  const std::string_view type = request.Header("content-type");
  std::string_view token = request.Header("x-csrf-token");
  std::string_view image;
  std::vector<MultipartPart> parts;
  if (type.starts_with("multipart/form-data")) {
    auto parsed = ParseMultipart(type, request.body);
    if (!parsed) return JsonError(400, "The upload was malformed: " + parsed.error().message);
    parts = std::move(*parsed);
    for (const MultipartPart& part : parts) {
      if (part.name == "image") image = part.body;
      if (part.name == "csrf_token" && token.empty()) token = part.body;
    }
    if (image.empty()) return JsonError(400, "Attach the photo in a form field named \"image\".");
  }
  if (!CsrfOk(ctx, token))
    return JsonError(403, "Missing or stale CSRF token: reload the page and try again.");

  if (type.starts_with("application/json")) {
    auto isbn = IsbnFromJson(request.body);
    if (auto* error = std::get_if<Response>(&isbn)) return std::move(*error);
    return ScanJson(ctx, std::get<std::string>(isbn));
  }
  if (type.starts_with("image/jpeg") || type.starts_with("image/png")) image = request.body;
  if (image.empty() && !type.starts_with("multipart/form-data"))
    return JsonError(415,
                     "Send JSON {\"isbn\": ...}, an image/jpeg or image/png photo, or multipart/form-data "
                     "with an \"image\" field.");
  if (!options_.decode_isbn_image) return JsonError(415, "Reading barcodes from photos is not enabled here.");
  if (image.size() > options_.max_image_bytes) return JsonError(413, "The photo is too large.");
  auto isbn = options_.decode_isbn_image(image);
  if (!isbn) return JsonError(HttpStatusFor(isbn.error()), isbn.error().message);
  if (request.query.find("lookup=1") != std::string::npos) return ScanAnswer(200, "Barcode read", *isbn);
  return ScanJson(ctx, *isbn);
}

}  // namespace booklib::web
