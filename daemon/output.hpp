// Small helpers for terminal tables and JSON output.
#pragma once

#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sseccoe::agent {

// Prints rows as aligned columns (widths by UTF-8 code points).
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);
std::size_t display_width(const std::string& s);
void print_json(const nlohmann::json& j);

}  // namespace sseccoe::agent
