// A1-style cell references ("B12", "XFD1048576").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::xlsx {

// Excel's widest sheet: column XFD.
constexpr std::uint32_t kMaxColumns = 16'384;

struct CellRef {
  std::uint32_t column = 0;  // 0 is column A
  std::uint64_t row = 0;     // 1-based; 0 when the reference has no row part ("B")
};

// Nothing for text that is no reference, or a column past XFD.
std::optional<CellRef> parse_cell_ref(std::string_view ref);

// A row number ("12"), 1-based; nothing for 0 or text that is no number.
std::optional<std::uint64_t> parse_row_number(std::string_view r);

// 0 -> "A", 27 -> "AB".
std::string column_name(std::uint32_t column);

// "B12".
std::string cell_name(std::uint32_t column, std::uint64_t row);

}  // namespace sseccoe::xlsx
