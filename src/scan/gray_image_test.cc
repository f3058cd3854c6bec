// DecodeGrayImage: uploaded JPEG/PNG files become the grey pixels the barcode reader sees.
#include "scan/gray_image.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "tests/support/synthetic_barcodes.h"

namespace booklib {
namespace {

GrayImage Gradient(int width, int height) {
  GrayImage image{width, height, {}};
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      image.pixels.push_back(static_cast<std::uint8_t>((x * 255) / (width - 1)));
  return image;
}

int LargestDifference(const GrayImage& a, const GrayImage& b) {
  int largest = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i)
    largest = std::max(largest, std::abs(a.pixels[i] - b.pixels[i]));
  return largest;
}

constexpr std::int64_t kNoLimit = 1'000'000'000;

TEST(DecodeGrayImage, ReadsAGreyPngPixelForPixel) {
  const GrayImage original = Gradient(64, 16);
  const auto decoded = DecodeGrayImage(synthetic::EncodePng(original), kNoLimit);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->width, 64);
  EXPECT_EQ(decoded->height, 16);
  EXPECT_EQ(decoded->pixels, original.pixels);
}

TEST(DecodeGrayImage, ShowsTransparentPngAreasAsWhitePaper) {
  // Black ink whose opacity falls from left to right; libpng composites in linear light, so the
  // mid-tones differ from the original greys, but the ends and their order do not.
  const GrayImage original = Gradient(64, 16);
  const auto decoded = DecodeGrayImage(synthetic::EncodePng(original, /*transparent_paper=*/true), kNoLimit);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->pixels.front(), 0);  // opaque ink
  EXPECT_EQ(decoded->pixels[63], 255);    // fully transparent: the white paper shows
  EXPECT_TRUE(std::is_sorted(decoded->pixels.begin(), decoded->pixels.begin() + 64));
}

TEST(DecodeGrayImage, ReadsTheLumaOfAColourJpeg) {
  const GrayImage original = Gradient(256, 64);
  const auto decoded = DecodeGrayImage(synthetic::EncodeJpeg(original, 95, /*as_colour=*/true), kNoLimit);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->width, 256);
  EXPECT_EQ(decoded->height, 64);
  EXPECT_LE(LargestDifference(*decoded, original), 12);
}

TEST(DecodeGrayImage, ReadsTheTopOfAJpegThatWasCutShort) {
  const GrayImage original = Gradient(256, 256);
  const std::string file = synthetic::EncodeJpeg(original, 95);
  const auto decoded = DecodeGrayImage(std::string_view(file).substr(0, file.size() / 2), kNoLimit);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->height, 256);
  EXPECT_NEAR(decoded->pixels[10 * 256 + 128], original.pixels[10 * 256 + 128], 6);
}

TEST(DecodeGrayImage, RejectsOtherFormats) {
  const auto decoded = DecodeGrayImage("GIF89a", kNoLimit);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace booklib
