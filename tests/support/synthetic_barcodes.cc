// Synthetic barcode photos: zxing draws the EAN-13 bars; we draw the add-on and the damage; libjpeg and
// libpng (the decoders' own libraries) write the files.
#include "tests/support/synthetic_barcodes.h"

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <jpeglib.h>
#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>  // jpeglib.h uses FILE without including it
#include <cstdlib>
#include <numbers>
#include <random>
#include <set>
#include <stdexcept>

namespace booklib::synthetic {
namespace {

std::uint8_t ClampToByte(double value) {
  return static_cast<std::uint8_t>(std::clamp(std::lround(value), 0L, 255L));
}

GrayImage Filled(int width, int height, std::uint8_t value) {
  return GrayImage{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height, value)};
}

std::uint8_t& At(GrayImage& image, int x, int y) {
  return image.pixels[static_cast<std::size_t>(y) * image.width + x];
}
std::uint8_t At(const GrayImage& image, int x, int y) {
  return image.pixels[static_cast<std::size_t>(y) * image.width + x];
}

// Uniform in (0, 1), from the raw engine output so that every standard library gives the same values.
double Uniform(std::mt19937& random) { return (static_cast<double>(random()) + 0.5) / 4294967296.0; }

// Approximately standard normal: the sum of the four bytes of one engine output (Irwin-Hall),
// centred and scaled. Cheap enough for millions of pixels, and the same on every platform.
double StandardNormal(std::mt19937& random) {
  const std::uint32_t bits = random();
  const int sum = static_cast<int>((bits & 0xFF) + (bits >> 8 & 0xFF) + (bits >> 16 & 0xFF) + (bits >> 24));
  return (sum - 510) / 147.8;  // mean 4 * 127.5, standard deviation sqrt(4 * (256^2 - 1) / 12)
}

// Fraction of the pixel column [x, x + 1) covered by dark modules, for every column of a row.
std::vector<double> BarCoverage(const std::vector<bool>& modules, double left, double module_width,
                                int width) {
  std::vector<double> coverage(width, 0.0);
  for (std::size_t m = 0; m < modules.size(); ++m) {
    if (!modules[m]) continue;
    const double begin = left + static_cast<double>(m) * module_width;
    const double end = begin + module_width;
    for (int x = std::max(0, static_cast<int>(begin)); x < std::min(width, static_cast<int>(std::ceil(end)));
         ++x)
      coverage[x] += std::max(0.0, std::min(end, x + 1.0) - std::max(begin, static_cast<double>(x)));
  }
  return coverage;
}

// Prints `modules` as bars from row `top` to row `bottom` (exclusive), edges anti-aliased.
void DrawBars(const std::vector<bool>& modules, double left, const LabelStyle& style, int top, int bottom,
              GrayImage& image) {
  const std::vector<double> coverage = BarCoverage(modules, left, style.module_width, image.width);
  for (int y = top; y < bottom; ++y)
    for (int x = 0; x < image.width; ++x)
      if (coverage[x] > 0.0)
        At(image, x, y) = ClampToByte(style.paper + (style.ink - style.paper) * coverage[x]);
}

// EAN "set A" (odd parity) digit patterns; set C is their complement, set B the reverse of set C.
constexpr std::array<const char*, 10> kSetA = {"0001101", "0011001", "0010011", "0111101", "0100011",
                                               "0110001", "0101111", "0111011", "0110111", "0001011"};
// Which of the five add-on digits use set B, indexed by the add-on checksum.
constexpr std::array<const char*, 10> kEan5Parity = {"BBAAA", "BABAA", "BAABA", "BAAAB", "ABBAA",
                                                     "AABBA", "AAABB", "ABABA", "ABAAB", "AABAB"};

void AppendPattern(std::string_view pattern, std::vector<bool>& modules) {
  for (const char c : pattern) modules.push_back(c == '1');
}

void AppendDigit(int digit, bool set_b, std::vector<bool>& modules) {
  const std::string_view set_a = kSetA[digit];
  if (!set_b) return AppendPattern(set_a, modules);
  for (auto it = set_a.rbegin(); it != set_a.rend(); ++it) modules.push_back(*it == '0');
}

int Ean5Checksum(std::string_view digits5) {
  int sum = 0;
  for (int i = 0; i < 5; ++i) sum += (digits5[i] - '0') * (i % 2 == 0 ? 3 : 9);
  return sum % 10;
}

// Low-frequency blotches: a sum of plane waves sin(fx * x + fy * y + phase), values within +-18.
// Each wave is split as sin(a + b) = sin a cos b + cos a sin b, so a pixel costs no trigonometry.
class Texture {
 public:
  Texture(int width, int height, std::mt19937& random) {
    for (int wave = 0; wave < 6; ++wave) {
      const double fx = (Uniform(random) - 0.5) * 0.05, fy = (Uniform(random) - 0.5) * 0.05;
      const double phase = Uniform(random) * 2 * std::numbers::pi;
      for (int x = 0; x < width; ++x) {
        sin_x_.push_back(std::sin(fx * x + phase));
        cos_x_.push_back(std::cos(fx * x + phase));
      }
      for (int y = 0; y < height; ++y) {
        sin_y_.push_back(std::sin(fy * y));
        cos_y_.push_back(std::cos(fy * y));
      }
    }
    width_ = width, height_ = height;
  }

  double At(int x, int y) const {
    double value = 0.0;
    for (int wave = 0; wave < 6; ++wave) {
      const std::size_t i = static_cast<std::size_t>(wave) * width_ + x,
                        j = static_cast<std::size_t>(wave) * height_ + y;
      value += sin_x_[i] * cos_y_[j] + cos_x_[i] * sin_y_[j];
    }
    return 3.0 * value;
  }

 private:
  int width_ = 0, height_ = 0;
  std::vector<double> sin_x_, cos_x_, sin_y_, cos_y_;
};

// One libjpeg compressor writing to memory. libjpeg's default error handler ends the process, which
// is acceptable here: compressing our own well-formed pixels cannot fail.
class JpegWriter {
 public:
  JpegWriter() {
    info_.err = jpeg_std_error(&errors_);
    jpeg_create_compress(&info_);
  }
  JpegWriter(const JpegWriter&) = delete;
  JpegWriter& operator=(const JpegWriter&) = delete;
  ~JpegWriter() {
    jpeg_destroy_compress(&info_);
    std::free(buffer_);
  }

  // `samples`: rows of `components` (1 = grey, 3 = RGB) bytes per pixel.
  std::string Write(const std::vector<std::uint8_t>& samples, int width, int height, int components,
                    int quality) {
    jpeg_mem_dest(&info_, &buffer_, &size_);
    info_.image_width = static_cast<JDIMENSION>(width);
    info_.image_height = static_cast<JDIMENSION>(height);
    info_.input_components = components;
    info_.in_color_space = components == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&info_);  // colour is stored as YCbCr 4:2:0, as phone cameras do
    jpeg_set_quality(&info_, quality, TRUE);
    jpeg_start_compress(&info_, TRUE);
    const std::size_t row_bytes = static_cast<std::size_t>(width) * components;
    while (info_.next_scanline < info_.image_height) {
      JSAMPROW row = const_cast<JSAMPROW>(samples.data() + info_.next_scanline * row_bytes);
      jpeg_write_scanlines(&info_, &row, 1);
    }
    jpeg_finish_compress(&info_);
    return std::string(reinterpret_cast<const char*>(buffer_), size_);
  }

 private:
  jpeg_compress_struct info_{};
  jpeg_error_mgr errors_{};
  unsigned char* buffer_ = nullptr;
  unsigned long size_ = 0;
};

// PNG of `samples` in libpng's simplified `format` (PNG_FORMAT_GRAY or PNG_FORMAT_GA).
std::string WritePng(const std::vector<std::uint8_t>& samples, int width, int height, png_uint_32 format) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = format;
  png_alloc_size_t size = 0;
  if (!png_image_write_get_memory_size(image, size, 0, samples.data(), 0, nullptr))
    throw std::runtime_error(std::string("libpng could not size the PNG: ") + image.message);
  std::string file(size, '\0');
  if (!png_image_write_to_memory(&image, file.data(), &size, 0, samples.data(), 0, nullptr))
    throw std::runtime_error(std::string("libpng could not write the PNG: ") + image.message);
  file.resize(size);
  return file;
}

}  // namespace

std::string WithEan13CheckDigit(std::string_view first12) {
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (first12[i] - '0') * (i % 2 == 0 ? 1 : 3);
  std::string digits(first12);
  digits.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return digits;
}

std::vector<std::string> MakeIsbns(int count, std::uint32_t seed) {
  std::mt19937 random(seed);
  std::set<std::string> seen;
  std::vector<std::string> isbns;
  while (static_cast<int>(isbns.size()) < count) {
    std::string first12 = isbns.size() % 2 == 0 ? "978" : "979";
    while (first12.size() < 12) first12.push_back(static_cast<char>('0' + random() % 10));
    std::string isbn = WithEan13CheckDigit(first12);
    if (seen.insert(isbn).second) isbns.push_back(std::move(isbn));
  }
  return isbns;
}

std::vector<bool> Ean13Modules(std::string_view digits13) {
  const ZXing::BitMatrix row =
      ZXing::MultiFormatWriter(ZXing::BarcodeFormat::EAN13).setMargin(0).encode(std::string(digits13), 0, 1);
  std::vector<bool> modules;
  for (int x = 0; x < row.width(); ++x) modules.push_back(row.get(x, 0));
  if (modules.size() != 95) throw std::logic_error("zxing drew an EAN-13 that is not 95 modules wide");
  return modules;
}

std::vector<bool> Ean5Modules(std::string_view digits5) {
  const std::string_view parity = kEan5Parity[Ean5Checksum(digits5)];
  std::vector<bool> modules;
  AppendPattern("1011", modules);
  for (int i = 0; i < 5; ++i) {
    if (i > 0) AppendPattern("01", modules);
    AppendDigit(digits5[i] - '0', parity[i] == 'B', modules);
  }
  return modules;
}

GrayImage RenderEan13Label(std::string_view digits13, const LabelStyle& style) {
  constexpr int kAddOnGapModules = 9;  // GS1 allows 7 to 12
  const std::vector<bool> main_symbol = Ean13Modules(digits13);
  const std::vector<bool> add_on = style.add_on.empty() ? std::vector<bool>{} : Ean5Modules(style.add_on);
  const int add_on_modules = add_on.empty() ? 0 : kAddOnGapModules + static_cast<int>(add_on.size());
  const int total_modules = 2 * style.quiet_modules + static_cast<int>(main_symbol.size()) + add_on_modules;
  const int margin = std::max(4, style.bar_height / 8);
  GrayImage label = Filled(static_cast<int>(std::ceil(total_modules * style.module_width)),
                           style.bar_height + 2 * margin, style.paper);

  const double left = style.quiet_modules * style.module_width;
  DrawBars(main_symbol, left, style, margin, margin + style.bar_height, label);
  if (!add_on.empty()) {  // the add-on's digits are printed above its bars, so its bars start lower
    const double add_on_left =
        left + static_cast<double>(main_symbol.size() + kAddOnGapModules) * style.module_width;
    DrawBars(add_on, add_on_left, style, margin + style.bar_height / 5, margin + style.bar_height, label);
  }
  return label;
}

GrayImage Rotate90Clockwise(const GrayImage& image) {
  GrayImage rotated = Filled(image.height, image.width, 0);
  for (int y = 0; y < rotated.height; ++y)
    for (int x = 0; x < rotated.width; ++x) At(rotated, x, y) = At(image, y, image.height - 1 - x);
  return rotated;
}

GrayImage Rotate180(const GrayImage& image) {
  GrayImage rotated = image;
  std::reverse(rotated.pixels.begin(), rotated.pixels.end());
  return rotated;
}

GrayImage RotateByDegrees(const GrayImage& image, double degrees, std::uint8_t fill) {
  const double radians = degrees * std::numbers::pi / 180.0;
  const double c = std::cos(radians), s = std::sin(radians);
  const int width = static_cast<int>(std::ceil(std::abs(image.width * c) + std::abs(image.height * s)));
  const int height = static_cast<int>(std::ceil(std::abs(image.width * s) + std::abs(image.height * c)));
  GrayImage rotated = Filled(width, height, fill);
  const double source_cx = image.width / 2.0, source_cy = image.height / 2.0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      // Inverse mapping: where in the source does this output pixel centre come from?
      const double dx = x + 0.5 - width / 2.0, dy = y + 0.5 - height / 2.0;
      const double sx = c * dx + s * dy + source_cx - 0.5, sy = -s * dx + c * dy + source_cy - 0.5;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      if (x0 < 0 || y0 < 0 || x0 + 1 >= image.width || y0 + 1 >= image.height) continue;
      const double fx = sx - x0, fy = sy - y0;
      const double top = At(image, x0, y0) * (1 - fx) + At(image, x0 + 1, y0) * fx;
      const double bottom = At(image, x0, y0 + 1) * (1 - fx) + At(image, x0 + 1, y0 + 1) * fx;
      At(rotated, x, y) = ClampToByte(top * (1 - fy) + bottom * fy);
    }
  }
  return rotated;
}

GrayImage GaussianBlur(const GrayImage& image, double sigma) {
  const int radius = static_cast<int>(std::ceil(3 * sigma));
  std::vector<double> kernel(2 * radius + 1);
  for (int i = -radius; i <= radius; ++i) kernel[i + radius] = std::exp(-(i * i) / (2 * sigma * sigma));
  double total = 0.0;
  for (const double k : kernel) total += k;
  for (double& k : kernel) k /= total;

  // One pass along x (step 1) or y (step width), clamping at the borders.
  const auto pass = [&](const GrayImage& in, bool along_x) {
    GrayImage out = in;
    for (int y = 0; y < in.height; ++y) {
      for (int x = 0; x < in.width; ++x) {
        double sum = 0.0;
        for (int i = -radius; i <= radius; ++i) {
          const int sx = along_x ? std::clamp(x + i, 0, in.width - 1) : x;
          const int sy = along_x ? y : std::clamp(y + i, 0, in.height - 1);
          sum += kernel[i + radius] * At(in, sx, sy);
        }
        At(out, x, y) = ClampToByte(sum);
      }
    }
    return out;
  };
  return pass(pass(image, true), false);
}

void AddNoise(GrayImage& image, double sigma, std::uint32_t seed) {
  std::mt19937 random(seed);
  for (std::uint8_t& pixel : image.pixels) pixel = ClampToByte(pixel + sigma * StandardNormal(random));
}

void Paste(const GrayImage& source, GrayImage& target, int left, int top) {
  for (int y = std::max(0, -top); y < source.height && top + y < target.height; ++y)
    for (int x = std::max(0, -left); x < source.width && left + x < target.width; ++x)
      At(target, left + x, top + y) = At(source, x, y);
}

GrayImage PhotoBackground(int width, int height, std::uint32_t seed) {
  std::mt19937 random(seed);
  const Texture texture(width, height, random);
  GrayImage photo = Filled(width, height, 0);
  // The book's cover fills the middle of the frame; the table around it is darker.
  const int cover_left = width / 8, cover_right = width - width / 8;
  const int cover_top = height / 10, cover_bottom = height - height / 10;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool on_cover = x >= cover_left && x < cover_right && y >= cover_top && y < cover_bottom;
      const double lighting = 0.75 + 0.25 * static_cast<double>(x + y) / (width + height);
      At(photo, x, y) = ClampToByte((on_cover ? 200.0 : 90.0) * lighting + texture.At(x, y));
    }
  }
  // Short dark strokes on the cover, like lines of a blurb: edges for the detector to reject.
  for (int i = 0; i < 40; ++i) {
    const int line_width = 20 + static_cast<int>(Uniform(random) * width / 6);
    const int line_height = 3 + static_cast<int>(Uniform(random) * height / 80);
    const int x =
        cover_left + static_cast<int>(Uniform(random) * std::max(1, cover_right - cover_left - line_width));
    const int y =
        cover_top + static_cast<int>(Uniform(random) * std::max(1, cover_bottom - cover_top - line_height));
    Paste(Filled(line_width, line_height, 60), photo, x, y);
  }
  return photo;
}

std::string EncodeJpeg(const GrayImage& image, int quality, bool as_colour) {
  if (!as_colour) return JpegWriter().Write(image.pixels, image.width, image.height, 1, quality);
  // A tint that drifts across the frame; the green change cancels the red and blue ones in luma.
  std::vector<double> tint_x(image.width), tint_y(image.height);
  for (int x = 0; x < image.width; ++x) tint_x[x] = 12.0 * std::sin(x * 0.002);
  for (int y = 0; y < image.height; ++y) tint_y[y] = 6.0 * std::sin(y * 0.003);
  std::vector<std::uint8_t> rgb;
  rgb.reserve(image.pixels.size() * 3);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double tint = tint_x[x] + tint_y[y];
      const double grey = At(image, x, y);
      rgb.push_back(ClampToByte(grey + tint));
      rgb.push_back(ClampToByte(grey - tint * (0.299 + 0.114) / 0.587));
      rgb.push_back(ClampToByte(grey + tint));
    }
  }
  return JpegWriter().Write(rgb, image.width, image.height, 3, quality);
}

std::string EncodePng(const GrayImage& image, bool transparent_paper) {
  if (!transparent_paper) return WritePng(image.pixels, image.width, image.height, PNG_FORMAT_GRAY);
  // Black ink whose opacity is the darkness of the original grey.
  std::vector<std::uint8_t> grey_alpha;
  grey_alpha.reserve(image.pixels.size() * 2);
  for (const std::uint8_t pixel : image.pixels) {
    grey_alpha.push_back(0);
    grey_alpha.push_back(static_cast<std::uint8_t>(255 - pixel));
  }
  return WritePng(grey_alpha, image.width, image.height, PNG_FORMAT_GA);
}

}  // namespace booklib::synthetic
