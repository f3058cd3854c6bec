// Box blur, unsharp mask, shrinking and bilinear enlargement in integer arithmetic.
#include "scan/image_filters.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace booklib {
namespace {

std::size_t Index(const GrayImage& image, int x, int y) {
  return static_cast<std::size_t>(y) * image.width + x;
}

std::uint8_t ClampToByte(int value) { return static_cast<std::uint8_t>(std::clamp(value, 0, 255)); }

// Rounded sum / count without a division per pixel (divisions dominate these loops otherwise).
class Mean {
 public:
  explicit Mean(int count) : reciprocal_(((std::uint64_t{1} << 32) + count / 2) / count) {}
  std::uint8_t operator()(int sum) const {
    return static_cast<std::uint8_t>(
        (static_cast<std::uint64_t>(sum) * reciprocal_ + (std::uint64_t{1} << 31)) >> 32);
  }

 private:
  std::uint64_t reciprocal_;
};

// Mean of each row over [x - radius, x + radius], the edge pixels repeated beyond the borders.
GrayImage BlurRows(const GrayImage& image, int radius) {
  GrayImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixels.size())};
  const Mean mean(2 * radius + 1);
  const int last = image.width - 1;
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* row = &image.pixels[Index(image, 0, y)];
    std::uint8_t* out_row = &out.pixels[Index(out, 0, y)];
    int sum = 0;
    for (int i = -radius; i <= radius; ++i) sum += row[std::clamp(i, 0, last)];
    for (int x = 0; x < image.width; ++x) {
      out_row[x] = mean(sum);
      sum += row[std::min(x + radius + 1, last)] - row[std::max(x - radius, 0)];
    }
  }
  return out;
}

// Mean of each column over [y - radius, y + radius]; walks whole rows to stay cache-friendly.
GrayImage BlurColumns(const GrayImage& image, int radius) {
  GrayImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixels.size())};
  const Mean mean(2 * radius + 1);
  const int last = image.height - 1;
  std::vector<int> sums(image.width, 0);
  for (int i = -radius; i <= radius; ++i) {
    const std::uint8_t* row = &image.pixels[Index(image, 0, std::clamp(i, 0, last))];
    for (int x = 0; x < image.width; ++x) sums[x] += row[x];
  }
  for (int y = 0; y < image.height; ++y) {
    std::uint8_t* out_row = &out.pixels[Index(out, 0, y)];
    const std::uint8_t* entering = &image.pixels[Index(image, 0, std::min(y + radius + 1, last))];
    const std::uint8_t* leaving = &image.pixels[Index(image, 0, std::max(y - radius, 0))];
    for (int x = 0; x < image.width; ++x) {
      out_row[x] = mean(sums[x]);
      sums[x] += entering[x] - leaving[x];
    }
  }
  return out;
}

// Where output coordinate i of an enlargement by `factor` samples the source: the left (or top)
// neighbour and the weight of the right (or bottom) one, in 1/256ths.
struct Sample {
  int first;
  int second;
  int weight;
};

std::vector<Sample> Samples(int source_size, int factor) {
  std::vector<Sample> samples(static_cast<std::size_t>(source_size) * factor);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    // Pixel centres line up: source position = (i + 0.5) / factor - 0.5, here in 1/256ths.
    const int position = std::max(0, static_cast<int>((256 * (2 * i + 1) + factor) / (2 * factor)) - 128);
    const int first = std::min(position / 256, source_size - 1);
    samples[i] = {first, std::min(first + 1, source_size - 1), position % 256};
  }
  return samples;
}

}  // namespace

GrayImage BoxBlur(const GrayImage& image, int radius) { return BlurColumns(BlurRows(image, radius), radius); }

GrayImage Sharpen(const GrayImage& image, int radius, double amount) {
  const GrayImage blurred = BoxBlur(BoxBlur(image, radius), radius);
  const int amount_256ths = static_cast<int>(amount * 256);
  GrayImage out{image.width, image.height, std::vector<std::uint8_t>(image.pixels.size())};
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const int detail = image.pixels[i] - blurred.pixels[i];
    out.pixels[i] = ClampToByte(image.pixels[i] + detail * amount_256ths / 256);
  }
  return out;
}

GrayImage Downscale(const GrayImage& image, int factor) {
  GrayImage out{image.width / factor, image.height / factor, {}};
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
  const Mean mean(factor * factor);
  std::vector<int> column_sums(static_cast<std::size_t>(out.width) * factor);
  for (int y = 0; y < out.height; ++y) {
    std::fill(column_sums.begin(), column_sums.end(), 0);
    for (int row = y * factor; row < (y + 1) * factor; ++row) {
      const std::uint8_t* in = &image.pixels[Index(image, 0, row)];
      for (std::size_t x = 0; x < column_sums.size(); ++x) column_sums[x] += in[x];
    }
    std::uint8_t* out_row = &out.pixels[Index(out, 0, y)];
    for (int x = 0; x < out.width; ++x) {
      int sum = 0;
      for (int i = 0; i < factor; ++i) sum += column_sums[static_cast<std::size_t>(x) * factor + i];
      out_row[x] = mean(sum);
    }
  }
  return out;
}

GrayImage Upscale(const GrayImage& image, int factor) {
  const std::vector<Sample> columns = Samples(image.width, factor);
  const std::vector<Sample> rows = Samples(image.height, factor);
  GrayImage out{image.width * factor, image.height * factor, {}};
  out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    const Sample& row = rows[y];
    const std::uint8_t* top = &image.pixels[Index(image, 0, row.first)];
    const std::uint8_t* bottom = &image.pixels[Index(image, 0, row.second)];
    std::uint8_t* out_row = &out.pixels[Index(out, 0, y)];
    for (int x = 0; x < out.width; ++x) {
      const Sample& column = columns[x];
      const int upper = top[column.first] * (256 - column.weight) + top[column.second] * column.weight;
      const int lower = bottom[column.first] * (256 - column.weight) + bottom[column.second] * column.weight;
      out_row[x] = static_cast<std::uint8_t>((upper * (256 - row.weight) + lower * row.weight + 32768) >> 16);
    }
  }
  return out;
}

}  // namespace booklib
