// GrayImage: an 8-bit grayscale picture, and decoding uploaded JPEG/PNG bytes into one.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace booklib {

// Rows top to bottom, each exactly `width` bytes; 0 is black, 255 is white.
// Invariant for a well-formed image: pixels.size() == width * height, width > 0, height > 0.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

// Decodes a JPEG or PNG file (recognised by its signature) into grayscale. Colour is converted to
// luma; transparency is composited onto white. A JPEG cut short decodes to what is present (the
// rest grey); a PNG cut short is unreadable.
// The dimensions are read from the header and checked against `max_pixels` before any pixel
// memory is allocated.
// Errors: kInvalidArgument (not JPEG/PNG, or unreadable), kTooLarge (width * height > max_pixels).
Result<GrayImage> DecodeGrayImage(std::string_view file_bytes, std::int64_t max_pixels);

}  // namespace booklib
