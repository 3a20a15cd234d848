#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "file_set.hpp"
#include "test_support.hpp"

namespace sseccoe::csv {
namespace {

using testing::TempDir;

std::vector<std::string> tables(const FileSet& set) {
  std::vector<std::string> out;
  for (const auto& f : set.files) out.push_back(f.table);
  return out;
}

std::string error_of(const std::string& path) {
  try {
    find_files("rh", path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FileSet, OneFile) {
  TempDir t;
  const std::string p = t.write("plantilla.csv", "a\n");
  const FileSet set = find_files("rh", p);
  ASSERT_EQ(set.files.size(), 1u);
  EXPECT_EQ(set.files[0].path, p);
  EXPECT_EQ(set.files[0].table, "plantilla.csv");
  EXPECT_EQ(set.files[0].size, 2u);
  EXPECT_EQ(set.files[0].version(), "2:" + std::to_string(set.files[0].mtime_ns));
}

TEST(FileSet, MissingPathsSayWhatToDo) {
  TempDir t;
  EXPECT_EQ(error_of(t.path("no.csv")),
            "source 'rh': " + t.path("no.csv") + " does not exist: check the path, and that the share holding it is "
            "mounted");
  EXPECT_NE(error_of(t.root()).find("is a directory: name one file, or a glob such as"), std::string::npos);
  EXPECT_NE(error_of(t.path("nada/*.csv")).find("the directory " + t.path("nada") + " of path"), std::string::npos);
  t.write("x.txt", "");
  EXPECT_EQ(error_of(t.path("*.csv")), "source 'rh': " + t.path("*.csv") +
                                           ": no file matches: check the pattern, and that the export has been "
                                           "written and its share is mounted");
}

TEST(FileSet, GlobMatchesInNameOrderIgnoringCaseAndHiddenFiles) {
  TempDir t;
  t.write("capacitacion_2021-03.csv", "");
  t.write("capacitacion_2021-01.CSV", "");
  t.write("capacitacion_2021-02.csv", "");
  t.write(".capacitacion_oculta.csv", "");
  t.write("~$capacitacion_abierta.csv", "");
  t.write("otra.csv", "");
  t.write("sub/capacitacion_2020.csv", "");
  EXPECT_EQ(tables(find_files("rh", t.path("capacitacion_*.csv"))),
            (std::vector<std::string>{"capacitacion_2021-01.CSV", "capacitacion_2021-02.csv",
                                      "capacitacion_2021-03.csv"}));
}

TEST(FileSet, GlobStarStarDescends) {
  TempDir t;
  t.write("rh/2021/a.csv", "");
  t.write("rh/2020/q1/b.csv", "");
  t.write("rh/c.csv", "");
  t.write("rh/d.txt", "");
  const FileSet set = find_files("rh", t.path("rh/**/*.csv"));
  EXPECT_EQ(tables(set), (std::vector<std::string>{"2020/q1/b.csv", "2021/a.csv", "c.csv"}));
  EXPECT_EQ(set.files[0].path, t.path("rh/2020/q1/b.csv"));
  EXPECT_TRUE(set.unlisted.empty());
  EXPECT_TRUE(is_glob(t.path("rh/**/*.csv")));
  EXPECT_FALSE(is_glob(t.path("rh/a.csv")));
}

}  // namespace
}  // namespace sseccoe::csv
