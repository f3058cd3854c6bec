// Times DecodeIsbnFromImage on generated 4000x3000 colour JPEG photos; target: median <= 100 ms.
//
// Usage: scan_bench [runs]   (default 15 runs per photo)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "scan/isbn_barcode.h"
#include "scan/synthetic_barcodes.h"

namespace booklib {
namespace {

using namespace synthetic;

constexpr int kWidth = 4000;
constexpr int kHeight = 3000;
constexpr double kTargetMilliseconds = 100;
constexpr const char* kIsbn = "9781408855652";

struct Photo {
  const char* name;
  std::string jpeg;
};

// A phone photo of a back cover: slight tilt and defocus, sensor noise, quality-90 JPEG.
std::string PhotoWithLabel(const LabelStyle& style, double tilt_degrees, int left, int top, bool rotate_90) {
  GrayImage photo = PhotoBackground(kWidth, kHeight, 99);
  if (style.bar_height > 0) {
    GrayImage label = RotateByDegrees(RenderEan13Label(kIsbn, style), tilt_degrees, style.paper);
    if (rotate_90) label = Rotate90Clockwise(label);
    Paste(label, photo, left, top);
  }
  photo = GaussianBlur(photo, 1.5);
  AddNoise(photo, 4, 7);
  return EncodeJpeg(photo, 90, /*as_colour=*/true);
}

std::vector<Photo> Photos() {
  const LabelStyle fills_a_third{.module_width = 11.0, .bar_height = 900};
  const LabelStyle small{.module_width = 3.5, .bar_height = 280};
  return {
      {"barcode 1/3 of the width, 4 deg tilt", PhotoWithLabel(fills_a_third, 4, 1400, 1500, false)},
      {"barcode turned 90 deg", PhotoWithLabel(fills_a_third, -3, 1600, 900, true)},
      {"small barcode (410 px) off-centre", PhotoWithLabel(small, 2, 2900, 2300, false)},
      {"no barcode (worst case)", PhotoWithLabel({.bar_height = 0}, 0, 0, 0, false)},
  };
}

double MillisecondsOf(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

struct Timings {
  std::vector<double> total, image, barcode;
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

Timings Measure(const Photo& photo, int runs, std::string& outcome) {
  Timings timings;
  for (int run = 0; run < runs; ++run) {
    Result<std::string> result;
    timings.total.push_back(MillisecondsOf([&] { result = DecodeIsbnFromImage(photo.jpeg); }));
    outcome = result ? *result : "error: " + result.error().message.substr(0, 16);
    // The same work in its two stages, to show where the time goes.
    Result<GrayImage> pixels;
    timings.image.push_back(MillisecondsOf([&] { pixels = DecodeGrayImage(photo.jpeg, ImageLimits{}.max_pixels); }));
    timings.barcode.push_back(MillisecondsOf([&] { (void)DecodeIsbnFromGray(*pixels); }));
  }
  return timings;
}

int Main(int runs) {
  std::printf("DecodeIsbnFromImage on %dx%d colour JPEG photos (quality 90), %d runs each\n\n", kWidth, kHeight,
              runs);
  std::printf("%-38s %6s %-16s %8s %8s %8s | %8s %8s\n", "photo", "MB", "result", "min ms", "median", "max ms",
              "jpeg ms", "zxing ms");
  bool met_target = true;
  for (const Photo& photo : Photos()) {
    std::string outcome;
    const Timings t = Measure(photo, runs, outcome);
    std::printf("%-38s %6.1f %-16s %8.1f %8.1f %8.1f | %8.1f %8.1f\n", photo.name, photo.jpeg.size() / 1048576.0,
                outcome.c_str(), *std::min_element(t.total.begin(), t.total.end()), Median(t.total),
                *std::max_element(t.total.begin(), t.total.end()), Median(t.image), Median(t.barcode));
    if (outcome == kIsbn) met_target = met_target && Median(t.total) <= kTargetMilliseconds;
  }
  std::printf("\ntarget: median <= %.0f ms for every photo with a barcode: %s\n", kTargetMilliseconds,
              met_target ? "met" : "MISSED");
  return met_target ? 0 : 1;
}

}  // namespace
}  // namespace booklib

int main(int argc, char** argv) { return booklib::Main(argc > 1 ? std::max(1, std::atoi(argv[1])) : 15); }
