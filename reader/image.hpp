// Image headers read by hand: the size of a PNG, JPEG, GIF or WebP from its
// first bytes, and the EXIF DateTimeOriginal of a JPEG (libexif). Every read
// is bounded: a hostile header can claim any length, so nothing here trusts
// a length field beyond the bytes actually present.
#pragma once

#include <string>

namespace sseccoe::reader {

struct Image {
  int width = 0, height = 0;
  std::string format;             // "png", "jpeg", "gif", "webp"
  std::string datetime_original;  // ISO "2021-05-14T10:00:00", or ""
};

// Throws std::runtime_error with a message fit for the quarantine ("the file
// is not an image this reader knows", "the JPEG has no frame header", ...).
Image read_image(const std::string& path);

// "2021:05:14 10:00:00" (EXIF) -> "2021-05-14T10:00:00"; "" when the value
// is not of that shape (cameras write "    :  :     :  :  " when unset).
std::string exif_to_iso(const std::string& exif);

}  // namespace sseccoe::reader
