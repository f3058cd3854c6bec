// make_barcode_photo: writes a phone-camera-like JPEG of a book's EAN-13 barcode, for the browser test.
//
//   make_barcode_photo ISBN OUTPUT.jpg [SEED]
//
// The photo is a label slightly rotated on a textured cover, with sensor noise and a colour tint.
// Before writing, the tool reads the barcode back with the server's own decoder and fails if the
// ISBN does not come out, so a failing browser test never means "the photo was unreadable".
#include <charconv>
#include <fstream>
#include <iostream>
#include <string>

#include "core/isbn.h"
#include "scan/isbn_barcode.h"
#include "tests/support/synthetic_barcodes.h"

namespace {

using namespace booklib;
using namespace booklib::synthetic;

std::string BarcodePhoto(const std::string& isbn13, std::uint32_t seed) {
  GrayImage photo = PhotoBackground(1200, 900, seed);
  const double degrees = seed % 2 == 0 ? 4.0 : -5.0;
  const GrayImage label = RotateByDegrees(RenderEan13Label(isbn13, {.module_width = 3.0}), degrees, 240);
  Paste(label, photo, (photo.width - label.width) / 2, (photo.height - label.height) / 2);
  AddNoise(photo, 5, seed);
  return EncodeJpeg(photo, 85, /*as_colour=*/true);
}

int Fail(const std::string& message) {
  std::cerr << "make_barcode_photo: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) return Fail("usage: make_barcode_photo ISBN OUTPUT.jpg [SEED]");
  const auto isbn = NormalizeIsbn(argv[1]);
  if (!isbn) return Fail(std::string("not an ISBN: ") + argv[1] + " (" + isbn.error().message + ")");
  std::uint32_t seed = 1;
  if (argc == 4) {
    const std::string_view text = argv[3];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (error != std::errc{} || end != text.data() + text.size()) return Fail("SEED must be a number");
  }

  const std::string jpeg = BarcodePhoto(*isbn, seed);
  const auto read_back = DecodeIsbnFromImage(jpeg);
  if (!read_back)
    return Fail("the generated photo of " + *isbn + " does not decode: " + read_back.error().message);
  if (*read_back != *isbn) return Fail("the generated photo of " + *isbn + " decodes as " + *read_back);

  std::ofstream out(argv[2], std::ios::binary);
  out.write(jpeg.data(), static_cast<std::streamsize>(jpeg.size()));
  if (!out.flush()) return Fail(std::string("cannot write ") + argv[2]);
  return 0;
}
