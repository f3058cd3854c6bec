// Synthetic barcode photos for tests and benchmarks: valid ISBNs, printed labels, camera-like damage.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/gray_image.h"

namespace booklib::synthetic {

// ---- Numbers -----------------------------------------------------------------------------------

// `first12` digits followed by their EAN-13 check digit. REQUIRES: 12 ASCII digits.
std::string WithEan13CheckDigit(std::string_view first12);

// `count` distinct valid ISBN-13s, alternating 978 and 979 prefixes; the same for the same seed.
std::vector<std::string> MakeIsbns(int count, std::uint32_t seed);

// ---- Symbols (true = dark module) ----------------------------------------------------------------

// The 95 modules of an EAN-13 symbol, from zxing's writer. REQUIRES: 13 digits, valid check digit.
std::vector<bool> Ean13Modules(std::string_view digits13);

// The 47 modules of an EAN-5 add-on (GS1 General Specifications 5.2.3.5: start 1011, five digits
// in sets A/B chosen by the add-on checksum, "01" between digits). REQUIRES: 5 ASCII digits.
std::vector<bool> Ean5Modules(std::string_view digits5);

// ---- Printing -----------------------------------------------------------------------------------

// How a barcode label looks on paper.
struct LabelStyle {
  double module_width = 3.0;  // pixels per module; fractional widths give anti-aliased edges
  int bar_height = 120;       // pixels
  int quiet_modules = 11;     // blank paper on each side, in modules (EAN-13 asks for 11 and 7)
  std::uint8_t ink = 20;
  std::uint8_t paper = 240;
  std::string add_on = {};  // five digits printed as an EAN-5 price add-on to the right, or empty
};

// A paper label holding the EAN-13 symbol of `digits13` (and its add-on), quiet zones included.
GrayImage RenderEan13Label(std::string_view digits13, const LabelStyle& style = {});

// ---- Damage -------------------------------------------------------------------------------------

GrayImage Rotate90Clockwise(const GrayImage& image);
GrayImage Rotate180(const GrayImage& image);

// Rotation by any angle about the centre onto a canvas large enough to hold the result;
// uncovered corners are `fill`. Bilinear sampling.
GrayImage RotateByDegrees(const GrayImage& image, double degrees, std::uint8_t fill);

// Separable Gaussian blur (defocus). REQUIRES: sigma > 0.
GrayImage GaussianBlur(const GrayImage& image, double sigma);

// Adds zero-mean, near-Gaussian sensor noise of standard deviation `sigma` grey levels; same for a seed.
void AddNoise(GrayImage& image, double sigma, std::uint32_t seed);

// Copies `source` into `target` with its top-left corner at (left, top); parts outside are dropped.
void Paste(const GrayImage& source, GrayImage& target, int left, int top);

// A camera-like background: lighting gradient, a book-cover rectangle and blotchy texture.
GrayImage PhotoBackground(int width, int height, std::uint32_t seed);

// ---- Files -------------------------------------------------------------------------------------

// Baseline JPEG at `quality` (1..100). With `as_colour`, written as a tinted three-channel photo
// (luma unchanged up to rounding), as a phone camera would; otherwise a one-channel JPEG.
std::string EncodeJpeg(const GrayImage& image, int quality, bool as_colour = false);

// PNG, one grey channel; with `transparent_paper`, black ink on transparent paper (grey + alpha) that
// shows the same picture over white.
std::string EncodePng(const GrayImage& image, bool transparent_paper = false);

}  // namespace booklib::synthetic
