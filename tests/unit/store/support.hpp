// Shared helpers for the store tests: a throw-away state directory, a
// harvested item built the way the pipeline builds one, and a second SQLite
// connection to look at what the store wrote (as `status` in another
// process would).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "model/record.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace sseccoe::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sseccoe-store-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string state() const { return path_ + "/state"; }

 private:
  std::string path_;
};

inline const char* kSource = "constancias";

// A classified, dated item of the folder source, as normalize() makes it.
inline Harvested harvested(const std::string& key, const std::string& status = "pending",
                           const std::string& title = "Constancia") {
  Harvested h;
  h.source = kSource;
  h.natural_key = key;
  h.version = "size=10,mtime=1";
  h.digest = std::string(64, 'a');
  h.locator = "/srv/comite/constancias/" + key;
  h.record.id = model::make_record_id("INM", kSource, key);
  h.record.program = "PAT-2021";
  h.record.institution = "INM";
  h.record.title = title;
  h.record.occurred_on = "2021-05-14";
  h.record.source = {"folder", kSource, h.locator, "2021-05-15T10:00:00Z"};
  h.status = status;
  if (status != "unclassified") {
    h.record.activity = "1.1.1";
    h.record.kind = "course_certificate";
    h.classified_by = "rule[1] agent.toml:20";
  }
  if (status == "held") h.status_reason = "dated 2022-01-10, outside activity 1.1.1's window";
  if (status == "unclassified") h.status_reason = "no rule matched";
  h.explain = R"({"rules":[]})";
  return h;
}

// One value from a second connection; nullopt when the query has no row.
inline std::optional<std::string> query(const std::string& state_dir, const std::string& sql) {
  Db db(state_dir + "/agent.db");
  auto st = db.prepare(sql);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

inline std::int64_t count(const std::string& state_dir, const std::string& sql) {
  auto v = query(state_dir, sql);
  return v ? std::stoll(*v) : 0;
}

inline std::size_t files_in(const std::string& dir) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); ++it)
    if (it->is_regular_file()) ++n;
  return n;
}

// A fresh store in a temporary state dir, and a way to add a harvested record.
class StoreFixture : public ::testing::Test {
 protected:
  static constexpr std::int64_t kFarFuture = 4102444800;  // 2100-01-01: everything is due
  TempDir dir;
  Store store{dir.state()};

  std::string add(const std::string& key, const std::string& status = "pending") {
    auto h = harvested(key, status);
    store.commit_harvest(h, std::nullopt);
    return h.record.id;
  }
};

}  // namespace sseccoe::store::testing
