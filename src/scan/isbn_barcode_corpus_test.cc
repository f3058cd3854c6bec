// Decode rate on a generated corpus of damaged book barcodes: 100 ISBNs x 10 kinds of damage.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <functional>

#include "scan/isbn_barcode.h"
#include "tests/support/synthetic_barcodes.h"

namespace booklib {
namespace {

using namespace synthetic;

constexpr int kIsbnCount = 100;

// What the scanner is shown: decoded pixels, or a file when the damage lies in the file's encoding.
struct Sample {
  GrayImage pixels;
  std::string file;  // when not empty, scanned through DecodeIsbnFromImage instead of the pixels

  Result<std::string> Scan() const {
    return file.empty() ? DecodeIsbnFromGray(pixels) : DecodeIsbnFromImage(file);
  }
};

// One kind of damage: builds the sample for the `index`-th ISBN.
struct Damage {
  const char* name;
  std::function<Sample(const std::string& isbn, int index)> make;
};

// Deterministic value in [low, high) that varies with the ISBN's index.
double Spread(int index, double low, double high) {
  return low + (high - low) * ((index * 37) % 100) / 100.0;
}

Sample Pixels(GrayImage image) { return {std::move(image), {}}; }
Sample File(std::string file) { return {{}, std::move(file)}; }

std::vector<Damage> Corpus() {
  return {
      {"clean PNG", [](const std::string& isbn, int) { return File(EncodePng(RenderEan13Label(isbn))); }},
      {"rotated 90",
       [](const std::string& isbn, int) { return Pixels(Rotate90Clockwise(RenderEan13Label(isbn))); }},
      {"rotated 180", [](const std::string& isbn, int) { return Pixels(Rotate180(RenderEan13Label(isbn))); }},
      {"small (105-150 px wide)",
       [](const std::string& isbn, int i) {
         return Pixels(RenderEan13Label(isbn, {.module_width = Spread(i, 1.1, 1.58), .bar_height = 50}));
       }},
      {"blurred (sigma 0.4-0.7 module)",
       [](const std::string& isbn, int i) {
         return Pixels(GaussianBlur(RenderEan13Label(isbn), Spread(i, 1.2, 2.1)));
       }},
      {"noisy (sigma 30 grey levels)",
       [](const std::string& isbn, int i) {
         GrayImage label = RenderEan13Label(isbn);
         AddNoise(label, 30, 1000 + i);
         return Pixels(std::move(label));
       }},
      {"low contrast (90 on 160)",
       [](const std::string& isbn, int) {
         return Pixels(RenderEan13Label(isbn, {.ink = 90, .paper = 160}));
       }},
      {"JPEG quality 30",
       [](const std::string& isbn, int) {
         return File(EncodeJpeg(RenderEan13Label(isbn, {.module_width = 2.0}), 30));
       }},
      {"with EAN-5 price add-on",
       [](const std::string& isbn, int i) {
         return Pixels(RenderEan13Label(isbn, {.add_on = std::to_string(50000 + i * 97 % 10000)}));
       }},
      {"tilted in a 1280x960 JPEG photo",
       [](const std::string& isbn, int i) {
         GrayImage photo = PhotoBackground(1280, 960, 500 + i);
         const GrayImage label =
             RotateByDegrees(RenderEan13Label(isbn, {.module_width = 2.5}), Spread(i, -12, 12), 240);
         Paste(label, photo, static_cast<int>(Spread(i, 150, 800)),
               static_cast<int>(Spread(i * 7, 100, 600)));
         AddNoise(photo, 6, 2000 + i);
         return File(EncodeJpeg(photo, 80, /*as_colour=*/true));
       }},
  };
}

struct Tally {
  int read = 0;
  int misread = 0;  // a wrong ISBN is worse than none: the user would add the wrong book
  int failed = 0;
  double milliseconds = 0;        // scanning only
  double build_milliseconds = 0;  // building the samples
  int total() const { return read + misread + failed; }
  double rate() const { return total() == 0 ? 0.0 : static_cast<double>(read) / total(); }
};

Tally ScanAll(const Damage& damage, const std::vector<std::string>& isbns) {
  Tally tally;
  for (int i = 0; i < static_cast<int>(isbns.size()); ++i) {
    const auto build_start = std::chrono::steady_clock::now();
    const Sample sample = damage.make(isbns[i], i);
    const auto start = std::chrono::steady_clock::now();
    tally.build_milliseconds += std::chrono::duration<double, std::milli>(start - build_start).count();
    const Result<std::string> result = sample.Scan();
    tally.milliseconds +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!result) {
      ++tally.failed;
    } else if (*result == isbns[i]) {
      ++tally.read;
    } else {
      ++tally.misread;
      ADD_FAILURE() << damage.name << ": " << isbns[i] << " read as " << *result;
    }
  }
  return tally;
}

TEST(IsbnBarcodeCorpus, ReadsAtLeast95PercentOfDamagedBarcodesAndNeverMisreadsOne) {
  const std::vector<std::string> isbns = MakeIsbns(kIsbnCount, 2024);
  Tally all;
  std::printf("%-32s %7s %7s %7s %9s %9s\n", "damage", "read", "misread", "rate", "ms/scan", "ms/build");
  for (const Damage& damage : Corpus()) {
    const Tally tally = ScanAll(damage, isbns);
    std::printf("%-32s %7d %7d %6.1f%% %9.2f %9.2f\n", damage.name, tally.read, tally.misread,
                100 * tally.rate(), tally.milliseconds / tally.total(),
                tally.build_milliseconds / tally.total());
    EXPECT_GE(tally.rate(), 0.90) << damage.name;
    all.read += tally.read, all.misread += tally.misread, all.failed += tally.failed;
  }
  std::printf("%-32s %7d %7d %6.1f%%\n", "all", all.read, all.misread, 100 * all.rate());
  EXPECT_EQ(all.misread, 0);
  EXPECT_GE(all.rate(), 0.95);
}

}  // namespace
}  // namespace booklib
