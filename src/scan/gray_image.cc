// Decoding uploaded JPEG (libjpeg-turbo) and PNG (libpng) files into grayscale.
//
// Not stb_image: phones upload 12-megapixel JPEGs, which libjpeg-turbo's SIMD decoder reads in about
// half the time, and both reference libraries are fuzzed continuously against hostile files.
#include "scan/gray_image.h"

#include <jpeglib.h>
#include <png.h>

#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE without including it

namespace booklib {
namespace {

constexpr const char* kUnreadable = "could not read the image: upload a JPEG or PNG photo";

// A crafted progressive JPEG can hold thousands of scans, each a full pass over the image; real
// photos have a dozen or so. libjpeg-turbo's own TJFLAG_LIMITSCANS uses the same bound.
constexpr int kMaxJpegScans = 500;

bool IsJpeg(std::string_view bytes) { return bytes.starts_with("\xFF\xD8\xFF"); }
bool IsPng(std::string_view bytes) { return bytes.starts_with("\x89PNG\r\n\x1A\n"); }

std::string OneDecimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::unexpected<Error> TooManyPixels(std::int64_t width, std::int64_t height, std::int64_t max_pixels) {
  return Fail(ErrorCode::kTooLarge, "the photo is " + std::to_string(width) + "x" + std::to_string(height) +
                                        " pixels (" + OneDecimal(static_cast<double>(width * height) / 1e6) +
                                        " megapixels), more than the limit of " +
                                        OneDecimal(static_cast<double>(max_pixels) / 1e6) +
                                        " megapixels: send a smaller photo of the barcode");
}

// ---- JPEG ----------------------------------------------------------------------------------------

// libjpeg reports a fatal error by calling error_exit, which must not return: we jump back into
// JpegReader::Read. libjpeg only knows the leading jpeg_error_mgr, so it must stay first.
struct JpegErrorHandler {
  jpeg_error_mgr manager;
  std::jmp_buf return_point;
};

[[noreturn]] void JumpToReturnPoint(j_common_ptr info) {
  std::longjmp(reinterpret_cast<JpegErrorHandler*>(info->err)->return_point, 1);
}

// Warnings mean damaged data; that part decodes grey and the rest may still hold the barcode.
void IgnoreWarning(j_common_ptr, int) {}

void StopAfterTooManyScans(j_common_ptr info) {
  if (reinterpret_cast<j_decompress_ptr>(info)->input_scan_number > kMaxJpegScans) JumpToReturnPoint(info);
}

enum class JpegOutcome { kDecoded, kUnreadable, kTooManyPixels };

// Owns one libjpeg decompressor. The destructor frees all libjpeg memory, also after a failed read.
class JpegReader {
 public:
  JpegReader() = default;
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;
  ~JpegReader() { jpeg_destroy_decompress(&info_); }  // safe on a never-created struct (mem == null)

  // Fills `out`. On kTooManyPixels only out.width and out.height are set.
  // Between setjmp and any longjmp this frame creates no object with a destructor, as C++ requires;
  // `out` lives in the caller and is never destroyed by the jump.
  JpegOutcome Read(std::string_view bytes, std::int64_t max_pixels, GrayImage& out) {
    info_.err = jpeg_std_error(&errors_.manager);
    errors_.manager.error_exit = JumpToReturnPoint;
    errors_.manager.emit_message = IgnoreWarning;
    if (setjmp(errors_.return_point) != 0) return JpegOutcome::kUnreadable;

    jpeg_create_decompress(&info_);
    progress_.progress_monitor = StopAfterTooManyScans;
    info_.progress = &progress_;
    jpeg_mem_src(&info_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    jpeg_read_header(&info_, TRUE);
    out.width = static_cast<int>(info_.image_width);
    out.height = static_cast<int>(info_.image_height);
    if (std::int64_t{out.width} * out.height > max_pixels) return JpegOutcome::kTooManyPixels;

    info_.out_color_space = JCS_GRAYSCALE;  // decodes only the luma channel of a colour photo
    jpeg_start_decompress(&info_);
    out.width = static_cast<int>(info_.output_width);
    out.height = static_cast<int>(info_.output_height);
    out.pixels.resize(static_cast<std::size_t>(out.width) * out.height);
    while (info_.output_scanline < info_.output_height) {
      JSAMPROW row = out.pixels.data() + static_cast<std::size_t>(info_.output_scanline) * out.width;
      jpeg_read_scanlines(&info_, &row, 1);
    }
    jpeg_finish_decompress(&info_);
    return JpegOutcome::kDecoded;
  }

 private:
  jpeg_decompress_struct info_{};
  JpegErrorHandler errors_{};
  jpeg_progress_mgr progress_{};
};

Result<GrayImage> DecodeJpeg(std::string_view bytes, std::int64_t max_pixels) {
  GrayImage image;
  JpegReader reader;
  switch (reader.Read(bytes, max_pixels, image)) {
    case JpegOutcome::kDecoded:
      return image;
    case JpegOutcome::kTooManyPixels:
      return TooManyPixels(image.width, image.height, max_pixels);
    case JpegOutcome::kUnreadable:
      break;
  }
  return Fail(ErrorCode::kInvalidArgument, kUnreadable);
}

// ---- PNG -----------------------------------------------------------------------------------------

// Owns a libpng simplified-API image; png_image_free is safe in every state.
class PngReader {
 public:
  PngReader() { image_.version = PNG_IMAGE_VERSION; }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;
  ~PngReader() { png_image_free(&image_); }

  Result<GrayImage> Read(std::string_view bytes, std::int64_t max_pixels) {
    if (!png_image_begin_read_from_memory(&image_, bytes.data(), bytes.size()))
      return Fail(ErrorCode::kInvalidArgument, kUnreadable);
    const std::int64_t width = image_.width;
    const std::int64_t height = image_.height;
    if (width * height > max_pixels) return TooManyPixels(width, height, max_pixels);

    GrayImage image{static_cast<int>(width), static_cast<int>(height),
                    std::vector<std::uint8_t>(static_cast<std::size_t>(width * height))};
    image_.format = PNG_FORMAT_GRAY;
    const png_color white{255, 255, 255};  // transparent areas read as paper, not as ink
    if (!png_image_finish_read(&image_, &white, image.pixels.data(), static_cast<png_int_32>(width), nullptr))
      return Fail(ErrorCode::kInvalidArgument, kUnreadable);
    return image;
  }

 private:
  png_image image_{};
};

}  // namespace

Result<GrayImage> DecodeGrayImage(std::string_view file_bytes, std::int64_t max_pixels) {
  if (IsJpeg(file_bytes)) return DecodeJpeg(file_bytes, max_pixels);
  if (IsPng(file_bytes)) return PngReader().Read(file_bytes, max_pixels);
  return Fail(ErrorCode::kInvalidArgument, kUnreadable);
}

}  // namespace booklib
