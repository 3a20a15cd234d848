// Reading a course certificate with extraction templates (certificate.hpp).
#include "extract/certificate.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include "extract/templates.hpp"

namespace sseccoe::core::extract {

namespace fs = std::filesystem;
namespace detail = template_detail;

namespace {

std::string read_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw TemplateError(path.string() + ":1: cannot be read: " + ec.message());
  if (size > detail::kMaxFileBytes)
    throw TemplateError(path.string() + ":1: is " + std::to_string(size / 1024) +
                        " KiB, larger than the 256 KiB a template may have: is this a template?");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw TemplateError(path.string() + ":1: cannot be opened");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

// The *.toml files of `dir`, by file name; hidden files (editors' and
// package managers' leftovers) are not templates.
std::vector<fs::path> template_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw TemplateError(dir + ": is not a directory of templates (create it, or do not name it)");
  std::vector<fs::path> out;
  fs::directory_iterator it(dir, ec), end;
  if (ec) throw TemplateError(dir + ": cannot be listed: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw TemplateError(dir + ": cannot be listed: " + ec.message());
    const std::string name = it->path().filename().string();
    if (name.empty() || name.front() == '.' || name.size() <= 5 || name.substr(name.size() - 5) != ".toml") continue;
    if (!it->is_regular_file(ec)) continue;
    out.push_back(it->path());
  }
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  return out;
}

}  // namespace

TemplateSet::TemplateSet() : templates_(std::make_unique<std::vector<Template>>()) {}
TemplateSet::~TemplateSet() = default;
TemplateSet::TemplateSet(TemplateSet&& other) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&& other) noexcept = default;

std::size_t TemplateSet::size() const { return templates_ ? templates_->size() : 0; }

TemplateSet TemplateSet::load(const std::vector<std::string>& dirs) {
  TemplateSet set;
  std::map<std::string, std::string> seen;  // id -> "file:line" of the template kept
  for (const auto& dir : dirs) {
    if (dir.empty()) continue;
    std::map<std::string, std::string> here;  // ids of this directory
    for (const auto& path : template_files(dir)) {
      Template t = detail::parse_template(path.string(), read_file(path));
      const std::string where = t.file + ":" + std::to_string(t.line);
      if (auto h = here.find(t.id); h != here.end())
        throw TemplateError(where + ": id '" + t.id + "' is already the id of the template at " + h->second +
                            ": give each template its own id");
      here.emplace(t.id, where);
      if (seen.count(t.id)) continue;  // an earlier directory's template of this id overrides it
      seen.emplace(t.id, where);
      set.templates_->push_back(std::move(t));
    }
  }
  return set;
}

std::string TemplateSet::default_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/share/sseccoe-agent/templates";
  return fs::weakly_canonical(exe.parent_path() / ".." / "share" / "sseccoe-agent" / "templates", ec).string();
}

CertificateReading TemplateSet::read(const std::vector<std::string>& pages) const {
  CertificateReading r;
  const std::string text = detail::normalise_text(pages);
  const Template* chosen = nullptr;
  if (!text.empty() && templates_) {
    for (const auto& t : *templates_) {
      if (!t.detect.search(text)) continue;
      if (t.reject && t.reject->search(text)) continue;
      chosen = &t;
      break;
    }
  }
  if (chosen) {
    r.template_id = chosen->id;
    r.template_file = chosen->file;
    for (const auto& [field, patterns] : chosen->fields) {
      bool found = false;
      for (const auto& re : patterns) {
        for (auto& groups : re.search_all_groups(text, detail::kMatchesTried)) {
          auto v = groups.find("value");
          if (v == groups.end()) continue;
          auto value = detail::field_value(field, v->second);
          if (!value) continue;
          r.fields[field] = {std::move(*value), detail::cut_utf8(groups[""], detail::kMaxSourceBytes)};
          found = true;
          break;
        }
        if (found) break;
      }
    }
  }
  for (const auto& f : kRequiredCertificateFields)
    if (!r.fields.count(f)) r.unread.push_back(f);
  return r;
}

}  // namespace sseccoe::core::extract
