// xl/styles.xml reduced to what the reader needs: for each cell style (the
// cell's s="N", an index into <cellXfs>), the kind of its number format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "number_format.hpp"

namespace sseccoe::xlsx {

class ZipPackage;

class StyleTable {
 public:
  // The format of cell style `index`; General for an unknown index (a cell
  // whose style is missing is shown by Excel as General too).
  NumberFormat format(std::uint32_t index) const {
    return index < formats_.size() ? formats_[index] : NumberFormat{};
  }
  std::size_t size() const { return formats_.size(); }

  std::vector<NumberFormat> formats_;
};

// Reads `part` (empty: a workbook without styles, every cell General).
// Throws XlsxError for a damaged or oversized styles part.
StyleTable read_styles(ZipPackage& zip, const std::string& part);

}  // namespace sseccoe::xlsx
