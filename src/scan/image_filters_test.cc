// The repair filters: what each does to pixels the barcode reader then sees.
#include "scan/image_filters.h"

#include <gtest/gtest.h>

namespace booklib {
namespace {

GrayImage Image(int width, int height, std::vector<std::uint8_t> pixels) {
  return {width, height, std::move(pixels)};
}

std::uint8_t At(const GrayImage& image, int x, int y) { return image.pixels[y * image.width + x]; }

TEST(BoxBlur, LeavesAFlatImageUnchangedAndAveragesASpeck) {
  GrayImage flat = Image(5, 5, std::vector<std::uint8_t>(25, 77));
  EXPECT_EQ(BoxBlur(flat, 1).pixels, flat.pixels);
  flat.pixels[12] = 77 + 90;  // centre
  const GrayImage blurred = BoxBlur(flat, 1);
  EXPECT_EQ(At(blurred, 2, 2), 77 + 10);  // the speck spread over 3 x 3 pixels
  EXPECT_EQ(At(blurred, 0, 0), 77);
}

TEST(Sharpen, SteepensAnEdgeWithoutMovingIt) {
  GrayImage edge = Image(8, 1, {50, 50, 50, 100, 150, 200, 200, 200});
  const GrayImage sharp = Sharpen(edge, 1, 2.0);
  EXPECT_LT(At(sharp, 3, 0), 100);  // the dark side gets darker
  EXPECT_GT(At(sharp, 5, 0), 200 - 1);
  EXPECT_EQ(At(sharp, 0, 0), 50);  // flat parts stay
}

TEST(Downscale, AveragesEachBlockAndDropsTheRaggedEdge) {
  const GrayImage image = Image(5, 2, {0, 100, 10, 30, 255, 100, 200, 50, 70, 255});
  const GrayImage small = Downscale(image, 2);
  ASSERT_EQ(small.width, 2);
  ASSERT_EQ(small.height, 1);
  EXPECT_EQ(At(small, 0, 0), 100);  // (0 + 100 + 100 + 200) / 4
  EXPECT_EQ(At(small, 1, 0), 40);   // (10 + 30 + 50 + 70) / 4
}

TEST(Upscale, KeepsTheOriginalValuesAndInterpolatesBetweenThem) {
  const GrayImage image = Image(2, 1, {0, 240});
  const GrayImage large = Upscale(image, 3);
  ASSERT_EQ(large.width, 6);
  ASSERT_EQ(large.height, 3);
  // Output pixel centres 0.5 .. 5.5 map to source positions -0.33 .. 1.33 (clamped at the ends).
  const std::vector<std::uint8_t> row(large.pixels.begin(), large.pixels.begin() + 6);
  EXPECT_EQ(row, (std::vector<std::uint8_t>{0, 0, 80, 160, 240, 240}));
  EXPECT_EQ(At(large, 3, 2), 160);
}

}  // namespace
}  // namespace booklib
