#include "cell_ref.hpp"

#include <charconv>

namespace sseccoe::xlsx {

namespace {

// Row numbers past this are no spreadsheet's (Excel stops at 1,048,576).
constexpr std::uint64_t kMaxRow = 0xFFFFFFFFull;

}  // namespace

std::optional<std::uint64_t> parse_row_number(std::string_view r) {
  std::uint64_t row = 0;
  const auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), row);
  if (r.empty() || ec != std::errc() || end != r.data() + r.size() || row == 0 || row > kMaxRow)
    return std::nullopt;
  return row;
}

std::optional<CellRef> parse_cell_ref(std::string_view ref) {
  CellRef out;
  std::size_t i = 0;
  std::uint64_t col = 0;
  for (; i < ref.size(); ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<std::uint64_t>(c - 'A' + 1);
    if (col > kMaxColumns) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  out.column = static_cast<std::uint32_t>(col - 1);
  if (i < ref.size()) {
    const auto row = parse_row_number(ref.substr(i));
    if (!row) return std::nullopt;
    out.row = *row;
  }
  return out;
}

std::string column_name(std::uint32_t column) {
  std::string out;
  std::uint64_t n = static_cast<std::uint64_t>(column) + 1;
  while (n > 0) {
    const auto rem = static_cast<char>((n - 1) % 26);
    out.insert(out.begin(), static_cast<char>('A' + rem));
    n = (n - 1) / 26;
  }
  return out;
}

std::string cell_name(std::uint32_t column, std::uint64_t row) { return column_name(column) + std::to_string(row); }

}  // namespace sseccoe::xlsx
