#include "catalogs.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <vector>

namespace sseccoe::registry {

namespace fs = std::filesystem;

Catalogs Catalogs::load_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("catalog directory " + dir +
                             " does not exist: set [catalog] dir to the folder holding the program catalogs (*.json)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json" && e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  Catalogs out;
  std::map<std::string, std::string> origin;
  for (const auto& f : files) {
    model::Catalog c = model::load_catalog_file(f.string());  // names the file when it fails
    if (c.program.empty()) throw std::runtime_error(f.string() + ": the catalog has no program name");
    if (auto it = origin.find(c.program); it != origin.end())
      throw std::runtime_error(f.string() + ": program " + c.program + " is already defined by " + it->second);
    origin[c.program] = f.string();
    out.by_program_.emplace(c.program, std::move(c));
  }
  return out;
}

const model::Catalog* Catalogs::find(const std::string& program) const {
  auto it = by_program_.find(program);
  return it == by_program_.end() ? nullptr : &it->second;
}

}  // namespace sseccoe::registry
