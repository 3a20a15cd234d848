#include "config/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace sseccoe::core::config_detail {

namespace fs = std::filesystem;

namespace {

std::string size_text(std::uintmax_t bytes) {
  if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10)) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// Reads the whole file, but never more than `limit` + 1 bytes: a file can
// grow between the size check and the read.
bool read_bounded(const std::string& path, std::size_t limit, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot be opened: ") + std::strerror(errno);
    return false;
  }
  out.clear();
  char buf[16384];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > limit) {
      error = "is larger than " + size_text(limit) +
              ": an agent configuration is a few KiB; is this the right file?";
      return false;
    }
  }
  if (in.bad()) {
    error = std::string("cannot be read: ") + std::strerror(errno);
    return false;
  }
  return true;
}

void parse_one(const std::string& path, bool drop_in, const LoadOptions& options, Diagnostics& diag,
               std::vector<ParsedFile>& parsed) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    diag.error({path, 0, 0}, "",
               drop_in ? "cannot be read (a dangling symbolic link?): fix or remove it"
                       : "the configuration file does not exist: create it (see config/agent.toml and "
                         "docs/configuration.md) or pass --config FILE");
    return;
  }
  if (fs::is_directory(status)) {
    diag.error({path, 0, 0}, "", "is a directory, not a configuration file: pass the path of agent.toml");
    return;
  }
  if (!fs::is_regular_file(status)) {
    diag.error({path, 0, 0}, "", "is not a regular file: pass the path of agent.toml");
    return;
  }
  const auto size = fs::file_size(path, ec);
  if (!ec && size > options.max_file_bytes) {
    diag.error({path, 0, 0}, "",
               "is " + size_text(size) + ", larger than the limit of " + size_text(options.max_file_bytes) +
                   ": an agent configuration is a few KiB; is this the right file?");
    return;
  }
  std::string text, error;
  if (!read_bounded(path, options.max_file_bytes, text, error)) {
    diag.error({path, 0, 0}, "", error);
    return;
  }
  try {
    parsed.push_back({path, toml::parse(std::string_view(text), std::string_view(path))});
  } catch (const toml::parse_error& e) {
    Location where = location_of(e.source());
    where.file = path;
    diag.error(std::move(where), "",
               "invalid TOML: " + std::string(e.description()) + " (fix the syntax at this position)");
  }
}

std::vector<std::string> drop_ins(const std::string& path, Diagnostics& diag) {
  const fs::path dir = fs::path(base_directory(path)) / "conf.d";
  std::error_code ec;
  if (!fs::exists(dir, ec)) return {};
  if (!fs::is_directory(dir, ec)) {
    diag.error({dir.string(), 0, 0}, "", "conf.d is not a directory: remove it or make it one");
    return {};
  }
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec), end;
  if (ec) {
    diag.error({dir.string(), 0, 0}, "", "cannot be listed: " + ec.message());
    return {};
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      diag.error({dir.string(), 0, 0}, "", "cannot be listed: " + ec.message());
      break;
    }
    const std::string name = it->path().filename().string();
    // Hidden files are editors' and package managers' leftovers.
    if (name.empty() || name.front() == '.' || name.size() <= 5 || name.substr(name.size() - 5) != ".toml")
      continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) continue;
    names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back((dir / n).string());
  return out;
}

}  // namespace

std::vector<ParsedFile> read_config_files(const std::string& path, const LoadOptions& options,
                                          Diagnostics& diag, std::vector<std::string>& files_read) {
  std::vector<ParsedFile> parsed;
  files_read.push_back(path);
  parse_one(path, false, options, diag, parsed);
  if (options.read_drop_ins) {
    for (const auto& file : drop_ins(path, diag)) {
      files_read.push_back(file);
      parse_one(file, true, options, diag, parsed);
    }
  }
  return parsed;
}

std::string base_directory(const std::string& file) {
  fs::path p(file);
  if (p.is_relative()) {
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (!ec) p = cwd / p;
  }
  return p.parent_path().lexically_normal().string();
}

std::string resolve_path(const std::string& value, const std::string& file) {
  fs::path p(value);
  if (p.is_absolute()) return p.lexically_normal().string();
  return (fs::path(base_directory(file)) / p).lexically_normal().string();
}

}  // namespace sseccoe::core::config_detail
