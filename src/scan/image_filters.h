// Fast grayscale filters that turn a hard-to-read photo into one the barcode reader can read.
#pragma once

#include "scan/gray_image.h"

namespace booklib {

// Mean over a (2 * radius + 1)^2 square around each pixel, edges clamped: removes sensor noise.
// O(pixels) whatever the radius. REQUIRES: radius >= 1, a well-formed image.
GrayImage BoxBlur(const GrayImage& image, int radius);

// Unsharp mask: image + amount * (image - blur), with a two-box-blur (tent) of `radius`.
// Restores the thin bars that defocus washes out. REQUIRES: radius >= 1, a well-formed image.
GrayImage Sharpen(const GrayImage& image, int radius, double amount);

// Mean of each `factor` x `factor` block (the ragged right and bottom edges are dropped): a big
// photo shrunk to the size where the other repairs work. REQUIRES: 1 <= factor <= min(width, height).
GrayImage Downscale(const GrayImage& image, int factor);

// Bilinear enlargement by an integer `factor`: gives the reader sub-pixel edges for barcodes whose
// bars are only 1-2 pixels wide. REQUIRES: factor >= 1, a well-formed image.
GrayImage Upscale(const GrayImage& image, int factor);

}  // namespace booklib
