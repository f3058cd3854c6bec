// Reading the ISBN from a photo of a book's EAN-13 ("Bookland") barcode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "scan/gray_image.h"

namespace booklib {

// Bounds on what an upload may cost before any decoding work is done.
struct ImageLimits {
  std::size_t max_bytes = 15 * 1024 * 1024;  // size of the encoded file
  std::int64_t max_pixels = 40'000'000;      // width * height, read from the file header
};

// Finds the EAN-13 barcode of a book in a JPEG or PNG photo and returns the canonical ISBN-13
// (13 digits, 978 or 979 prefix). Any orientation; a 5-digit price add-on is ignored; when the
// photo also shows other barcodes (a shop's price sticker), the ISBN one wins.
// Errors, each with a message telling the user what to do:
//   kTooLarge        the file exceeds limits.max_bytes, or its dimensions exceed limits.max_pixels
//                    (checked from the header, before the pixels are decoded)
//   kInvalidArgument empty or unreadable file, not JPEG/PNG, no barcode found, or a barcode that
//                    is not an ISBN (e.g. a grocery EAN starting 501)
//   kInternal        the barcode library threw (a bug there; not seen in testing)
// Never throws. Corrupt, truncated and hostile files give kInvalidArgument (fuzzed with 20 000
// damaged files under ASan/UBSan). Thread-safe; one call uses one thread.
Result<std::string> DecodeIsbnFromImage(std::string_view image_bytes, const ImageLimits& limits = {});

// The same search on pixels that are already decoded (tests, or callers with their own decoder).
// Errors: kInvalidArgument when the image breaks GrayImage's invariant, or as above.
Result<std::string> DecodeIsbnFromGray(const GrayImage& image);

}  // namespace booklib
