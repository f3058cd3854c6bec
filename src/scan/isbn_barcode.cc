// Bookland barcode reading with zxing-cpp: decode the photo, find EAN/UPC symbols, keep the ISBN.
#include "scan/isbn_barcode.h"

#include <cstdio>
#include <exception>
#include <optional>

#include <ZXing/ReadBarcode.h>

#include "core/isbn.h"
#include "scan/image_filters.h"

namespace booklib {
namespace {

constexpr const char* kNoImage = "no image received: upload a JPEG or PNG photo of the barcode";
constexpr const char* kNoBarcode =
    "no barcode found: hold the camera closer so the barcode fills the frame, in good light";

bool IsBookland(const std::string& digits) {
  return digits.size() == 13 && (digits.starts_with("978") || digits.starts_with("979"));
}

std::unexpected<Error> NotAnIsbn(const std::string& digits) {
  return Fail(ErrorCode::kInvalidArgument, "this barcode is not an ISBN (it starts with " + digits.substr(0, 3) +
                                               "...): scan the barcode on the back cover that starts with "
                                               "978 or 979");
}

// "15.0 MB", or "900 bytes" below a megabyte.
std::string SizeText(std::size_t bytes) {
  constexpr double kMegabyte = 1024.0 * 1024.0;
  if (bytes < kMegabyte) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", bytes / kMegabyte);
  return text;
}

// Books carry EAN-13; UPC-A and EAN-8 are read too, only so that scanning one of them gets the
// "not an ISBN" advice instead of "no barcode found". The price add-on is never needed.
ZXing::DecodeHints BooklandHints() {
  return ZXing::DecodeHints()
      .setFormats(ZXing::BarcodeFormat::EAN13 | ZXing::BarcodeFormat::UPCA | ZXing::BarcodeFormat::EAN8)
      .setTryHarder(true)
      .setTryRotate(true)
      .setTryDownscale(true)
      .setEanAddOnSymbol(ZXing::EanAddOnSymbol::Ignore);
}

std::optional<std::string> FirstBookland(const ZXing::Results& results) {
  for (const ZXing::Result& result : results)
    if (result.isValid() && IsBookland(result.text())) return result.text();
  return std::nullopt;
}

// What one look at one version of the photo found.
enum class Sighting { kNothing, kIsbn, kOtherBarcode };

struct Look {
  Sighting sighting = Sighting::kNothing;
  std::string digits;  // the ISBN, or the first other barcode's digits
};

Look LookForIsbn(const GrayImage& image) {
  const ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
  const ZXing::DecodeHints hints = BooklandHints();
  // Fast path: the first symbol found is almost always the ISBN.
  const ZXing::Result first = ZXing::ReadBarcode(view, hints);
  if (!first.isValid()) return {};
  if (IsBookland(first.text())) return {Sighting::kIsbn, first.text()};
  // Something else came first, e.g. a shop's price sticker: look at every symbol in the photo.
  if (auto isbn = FirstBookland(ZXing::ReadBarcodes(view, hints))) return {Sighting::kIsbn, std::move(*isbn)};
  return {Sighting::kOtherBarcode, first.text()};
}

// Versions of the photo to search, each only when all before it found nothing: the photo as it is
// (nearly every real photo ends here, in a few ms even at 12 MP), then repairs for the damage that
// defeats zxing's row scanner, in the order the corpus test finds them useful. The repairs work on a
// copy of at most ~2.5 MP: their radii suit bars a few pixels wide, and they stay cheap.
enum class Repair { kSharpenSlightBlur, kSharpenStrongBlur, kSmoothNoise, kEnlargeTinyBars, kEnlargeAndSharpen };
constexpr Repair kRepairs[] = {Repair::kSharpenSlightBlur, Repair::kSharpenStrongBlur, Repair::kSmoothNoise,
                               Repair::kEnlargeTinyBars, Repair::kEnlargeAndSharpen};

bool Enlarges(Repair repair) { return repair == Repair::kEnlargeTinyBars || repair == Repair::kEnlargeAndSharpen; }
constexpr std::int64_t kRepairPixels = 2'500'000;

std::int64_t PixelCount(const GrayImage& image) { return std::int64_t{image.width} * image.height; }

// The shrink factor that brings `photo` to at most kRepairPixels (1: it is small enough already).
int ShrinkFactor(const GrayImage& photo) {
  int factor = 1;
  while (PixelCount(photo) > kRepairPixels * factor * factor) ++factor;
  return factor;
}

int EnlargementFactor(const GrayImage& image) { return PixelCount(image) <= 1'500'000 ? 3 : 2; }

GrayImage Repaired(const GrayImage& image, Repair repair) {
  switch (repair) {
    case Repair::kSharpenSlightBlur:
      return Sharpen(image, 1, 2.0);
    case Repair::kSharpenStrongBlur:
      return Sharpen(image, 2, 2.0);
    case Repair::kSmoothNoise:
      return BoxBlur(image, 1);
    case Repair::kEnlargeTinyBars:  // the caller skips enlarging shrunk photos; results stay under ~14 MP
      return Upscale(image, EnlargementFactor(image));
    case Repair::kEnlargeAndSharpen:  // bars of 1.3 px and less: enlarging alone leaves them too grey
      return Sharpen(Upscale(image, EnlargementFactor(image)), 3, 1.0);
  }
  return image;
}

// The outcome of one look, if it settles the search.
std::optional<Result<std::string>> Verdict(const Look& look) {
  switch (look.sighting) {
    case Sighting::kIsbn:
      return NormalizeIsbn(look.digits);
    case Sighting::kOtherBarcode:
      return NotAnIsbn(look.digits);
    case Sighting::kNothing:
      return std::nullopt;
  }
  return std::nullopt;
}

Result<std::string> SearchBarcodes(const GrayImage& photo) {
  if (auto verdict = Verdict(LookForIsbn(photo))) return std::move(*verdict);
  const int shrink = ShrinkFactor(photo);
  const std::optional<GrayImage> shrunk = shrink > 1 ? std::optional(Downscale(photo, shrink)) : std::nullopt;
  const GrayImage& small = shrunk ? *shrunk : photo;
  for (const Repair repair : kRepairs) {
    if (Enlarges(repair) && shrunk) continue;  // shrinking already gave up on tiny bars
    if (auto verdict = Verdict(LookForIsbn(Repaired(small, repair)))) return std::move(*verdict);
  }
  return Fail(ErrorCode::kInvalidArgument, kNoBarcode);
}

bool IsWellFormed(const GrayImage& image) {
  return image.width > 0 && image.height > 0 &&
         image.pixels.size() == static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
}

}  // namespace

Result<std::string> DecodeIsbnFromGray(const GrayImage& image) {
  if (!IsWellFormed(image))
    return Fail(ErrorCode::kInvalidArgument, "the image has no pixels or its size does not match its pixels");
  try {
    return SearchBarcodes(image);
  } catch (const std::exception& e) {  // zxing may throw (allocation, internal checks); never let it escape
    return Fail(ErrorCode::kInternal, std::string("the barcode reader failed: ") + e.what());
  }
}

Result<std::string> DecodeIsbnFromImage(std::string_view image_bytes, const ImageLimits& limits) {
  if (image_bytes.empty()) return Fail(ErrorCode::kInvalidArgument, kNoImage);
  if (image_bytes.size() > limits.max_bytes)
    return Fail(ErrorCode::kTooLarge, "the photo is " + SizeText(image_bytes.size()) +
                                          ", more than the limit of " + SizeText(limits.max_bytes) +
                                          ": send a smaller photo of the barcode");
  try {
    const Result<GrayImage> image = DecodeGrayImage(image_bytes, limits.max_pixels);
    if (!image) return std::unexpected(image.error());
    return DecodeIsbnFromGray(*image);
  } catch (const std::bad_alloc&) {
    return Fail(ErrorCode::kTooLarge, "not enough memory to read this photo: send a smaller one");
  }
}

}  // namespace booklib
