// Bookland barcode reading with zxing-cpp: decode the photo, find EAN/UPC symbols, keep the ISBN.
#include "scan/isbn_barcode.h"

#include <ZXing/ReadBarcode.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

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
  return Fail(ErrorCode::kInvalidArgument, "this barcode is not an ISBN (it starts with " +
                                               digits.substr(0, 3) +
                                               "...): scan the barcode on the back cover that starts with "
                                               "978 or 979");
}

// "15.0 MB", or "900 bytes" below a megabyte.
std::string SizeText(std::size_t bytes) {
  constexpr double kMegabyte = 1024.0 * 1024.0;
  const auto size = static_cast<double>(bytes);
  if (size < kMegabyte) return std::to_string(bytes) + " bytes";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", size / kMegabyte);
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

// What one look at one version of the photo found.
enum class Sighting { kNothing, kIsbn, kOtherBarcode };

struct Look {
  Sighting sighting = Sighting::kNothing;
  std::string digits;  // the ISBN, or the first other barcode's digits
};

ZXing::ImageView ViewOf(const GrayImage& image) {
  return ZXing::ImageView(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
}

// Paints white over the symbol zxing found at `position` (its first and last decoded rows), reaching
// 10% beyond its ends and 0.75 of its length across the bars, which covers an EAN's bar height.
// Returns false when the position is degenerate.
bool PaintOver(const ZXing::Position& position, GrayImage& image) {
  using Point = ZXing::PointF;
  const Point start = (Point(position.topLeft()) + Point(position.bottomLeft())) / 2;
  const Point end = (Point(position.topRight()) + Point(position.bottomRight())) / 2;
  const double length = ZXing::distance(start, end);
  if (length < 1) return false;
  const Point along = (end - start) / length;
  const Point across(-along.y, along.x);
  const double rows_span =
      std::abs(ZXing::dot(Point(position.bottomLeft()) - Point(position.topLeft()), across));
  const double half_height = rows_span / 2 + 0.75 * length;
  const Point middle = (start + end) / 2;
  const double reach = length / 2 + half_height;  // bounding circle of the painted rectangle
  for (int y = std::max(0, static_cast<int>(middle.y - reach));
       y < std::min(image.height, static_cast<int>(middle.y + reach) + 1); ++y) {
    for (int x = std::max(0, static_cast<int>(middle.x - reach));
         x < std::min(image.width, static_cast<int>(middle.x + reach) + 1); ++x) {
      const Point offset = Point(x, y) - middle;
      if (std::abs(ZXing::dot(offset, along)) <= 0.6 * length &&
          std::abs(ZXing::dot(offset, across)) <= half_height)
        image.pixels[static_cast<std::size_t>(y) * image.width + x] = 255;
    }
  }
  return true;
}

// Reads one symbol at a time (ReadBarcode). When the first is not an ISBN, e.g. a shop's price
// sticker, it is painted over and the photo read again, up to kMaxOtherBarcodes times.
// Not ReadBarcodes: in zxing-cpp 1.4, when it meets one symbol twice (at two scales, or straight and
// turned), Result::operator== hits assert(lineCount() == 1), and Debian builds the library with
// assertions on, so the process aborts (zxing-cpp issue #740). ReadBarcode stops at its first symbol
// and never compares two.
Look LookForIsbn(const GrayImage& image) {
  constexpr int kMaxOtherBarcodes = 3;
  const ZXing::DecodeHints hints = BooklandHints();
  ZXing::Result result = ZXing::ReadBarcode(ViewOf(image), hints);
  if (!result.isValid()) return {};
  if (IsBookland(result.text())) return {Sighting::kIsbn, result.text()};
  const std::string first_other = result.text();
  GrayImage painted = image;
  for (int other = 0; other < kMaxOtherBarcodes; ++other) {
    if (!PaintOver(result.position(), painted)) break;
    result = ZXing::ReadBarcode(ViewOf(painted), hints);
    if (!result.isValid()) break;
    if (IsBookland(result.text())) return {Sighting::kIsbn, result.text()};
  }
  return {Sighting::kOtherBarcode, first_other};
}

// Versions of the photo to search, each only when all before it showed no ISBN: the photo as it is
// (nearly every real photo ends there, in a few ms even at 12 MP), then repairs for the damage that
// defeats zxing's row scanner, in the order the corpus test finds them useful. Repairs work on a copy
// of at most kRepairPixels: their radii suit bars a few pixels wide, and they stay cheap.
enum class Repair {
  kSharpenSlightBlur,
  kSharpenStrongBlur,
  kSmoothNoise,
  kEnlargeTinyBars,
  kEnlargeAndSharpen
};
constexpr Repair kRepairs[] = {Repair::kSharpenSlightBlur, Repair::kSharpenStrongBlur, Repair::kSmoothNoise,
                               Repair::kEnlargeTinyBars, Repair::kEnlargeAndSharpen};
constexpr std::int64_t kRepairPixels = 2'500'000;

bool Enlarges(Repair repair) {
  return repair == Repair::kEnlargeTinyBars || repair == Repair::kEnlargeAndSharpen;
}

std::int64_t PixelCount(const GrayImage& image) { return std::int64_t{image.width} * image.height; }

// The shrink factor that brings `photo` to at most kRepairPixels (1: it is small enough already).
int ShrinkFactor(const GrayImage& photo) {
  int factor = 1;
  while (PixelCount(photo) > kRepairPixels * factor * factor) ++factor;
  return factor;
}

// Enlargement for tiny bars: as much as keeps the result under kEnlargedPixels, at most 6 times
// (a 1.1-pixel module then spans ~6 pixels), at least 2.
constexpr std::int64_t kEnlargedPixels = 14'000'000;
int EnlargementFactor(const GrayImage& image) {
  int factor = 6;
  while (factor > 2 && PixelCount(image) * factor * factor > kEnlargedPixels) --factor;
  return factor;
}

GrayImage Repaired(const GrayImage& image, Repair repair) {
  switch (repair) {
    case Repair::kSharpenSlightBlur:
      return Sharpen(image, 1, 2.0);
    case Repair::kSharpenStrongBlur:
      return Sharpen(image, 2, 2.0);
    case Repair::kSmoothNoise:
      return BoxBlur(image, 1);
    case Repair::kEnlargeTinyBars:
      return Upscale(image, EnlargementFactor(image));
    case Repair::kEnlargeAndSharpen: {  // bars of 1.3 px and less: enlarging alone leaves them too grey
      const int factor = EnlargementFactor(image);
      return Sharpen(Upscale(image, factor), factor, 1.0);  // unsharp over about one original pixel
    }
  }
  return image;
}

// Looks at versions of one photo until one shows an ISBN, remembering any other barcode seen so that
// the user can be told they scanned the wrong one.
class BarcodeSearch {
 public:
  // True once `image` showed an ISBN.
  bool Found(const GrayImage& image) {
    Look look = LookForIsbn(image);
    if (look.sighting == Sighting::kIsbn)
      isbn_ = std::move(look.digits);
    else if (look.sighting == Sighting::kOtherBarcode && other_barcode_.empty())
      other_barcode_ = std::move(look.digits);
    return !isbn_.empty();
  }

  Result<std::string> Outcome() const {
    if (!isbn_.empty()) return NormalizeIsbn(isbn_);
    if (!other_barcode_.empty()) return NotAnIsbn(other_barcode_);
    return Fail(ErrorCode::kInvalidArgument, kNoBarcode);
  }

 private:
  std::string isbn_;
  std::string other_barcode_;
};

Result<std::string> SearchBarcodes(const GrayImage& photo) {
  BarcodeSearch search;
  if (search.Found(photo)) return search.Outcome();
  const int shrink = ShrinkFactor(photo);
  const std::optional<GrayImage> shrunk = shrink > 1 ? std::optional(Downscale(photo, shrink)) : std::nullopt;
  for (const Repair repair : kRepairs) {
    if (Enlarges(repair) && shrunk) continue;  // shrinking already gave up on tiny bars
    if (search.Found(Repaired(shrunk ? *shrunk : photo, repair))) break;
  }
  return search.Outcome();
}

bool IsWellFormed(const GrayImage& image) {
  return image.width > 0 && image.height > 0 &&
         image.pixels.size() ==
             static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height);
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
