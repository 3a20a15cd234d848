// Loading template directories (TemplateSet::load): file order, overrides
// between directories, and every mistake reported as "file:line: ...".
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "extract/certificate.hpp"

namespace sseccoe::core::extract {
namespace {

namespace fs = std::filesystem;

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "sseccoe-tpl-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string sub(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream(fs::path(dir) / name, std::ios::binary) << text;
}

std::string shipped_dir() { return std::string(SSECCOE_SOURCE_DIR) + "/config/templates"; }

std::string minimal(const std::string& id, const std::string& issuer = "Alguien",
                    const std::string& detect = "(?i)constancia") {
  return "id = \"" + id + "\"\nissuer = \"" + issuer + "\"\ndetect = '" + detect +
         "'\n[fields]\nname = '(?i)a:\\s+(?P<value>\\p{L}+ \\p{L}+)'\n";
}

// The message of the TemplateError that loading `text` as one file throws.
std::string error_of(const std::string& text, const std::string& name = "t.toml") {
  TempDir tmp;
  const std::string dir = tmp.sub("d");
  write(dir, name, text);
  try {
    (void)TemplateSet::load({dir});
  } catch (const TemplateError& e) {
    const std::string what = e.what();
    const std::string prefix = dir + "/" + name + ":";
    EXPECT_EQ(what.rfind(prefix, 0), 0u) << what;  // names the file
    return what.substr(std::min(what.size(), prefix.size()));
  }
  ADD_FAILURE() << "no TemplateError for:\n" << text;
  return {};
}

TEST(TemplateLoad, ShippedDirectory) {
  const auto set = TemplateSet::load({shipped_dir()});
  EXPECT_EQ(set.size(), 5u);
}

TEST(TemplateLoad, BadRegexNamesFileAndLine) {
  const std::string e = error_of(
      "id = \"x\"\nissuer = \"y\"\ndetect = 'constancia'\n[fields]\nname = '(?P<value>a)'\ncourse = '(?P<value>[a-z'\n");
  EXPECT_EQ(e.rfind("6: field 'course': the pattern does not compile", 0), 0u) << e;
}

TEST(TemplateLoad, Errors) {
  const std::string head = "id = \"x\"\nissuer = \"y\"\ndetect = 'constancia'\n";
  EXPECT_EQ(error_of(head + "[fields]\nname = '(?i)a: (.+)'\n").rfind("5: field 'name': the pattern has no group named 'value'", 0), 0u);
  {
    const std::string e = error_of(head + "[fields]\nnmae = '(?P<value>.+)'\n");
    EXPECT_EQ(e.rfind("5: unknown field 'nmae' (did you mean 'name'?)", 0), 0u) << e;
  }
  {
    const std::string e = error_of("id = \"x\"\nissuer = \"y\"\ndetct = 'c'\n[fields]\nname = '(?P<value>.+)'\n");
    EXPECT_EQ(e.rfind("3: unknown key 'detct' (did you mean 'detect'?)", 0), 0u) << e;
  }
  {
    const std::string e = error_of(head + "[fields]\nname = '(?P<value>.+)\n");
    EXPECT_EQ(e.rfind("5: invalid TOML", 0), 0u) << e;
  }
  {
    const std::string e = error_of("id = \"x\"\n\nissuer = = \"y\"\n");
    EXPECT_EQ(e.rfind("3: invalid TOML", 0), 0u) << e;
  }
  EXPECT_EQ(error_of("id = \"x\"\nissuer = \"y\"\n[fields]\nname = '(?P<value>.+)'\n").rfind("1: 'detect' is missing", 0), 0u);
  EXPECT_EQ(error_of(head).rfind("1: [fields] is missing", 0), 0u);
  EXPECT_EQ(error_of(head + "[fields]\n").rfind("4: [fields] is empty", 0), 0u);
  EXPECT_EQ(error_of("id = \"X Y\"\nissuer = \"y\"\ndetect = 'c'\n[fields]\nname = '(?P<value>.+)'\n").rfind("1: id 'X Y' must be", 0), 0u);
  EXPECT_EQ(error_of(head + "detect2 = 1\n").rfind("4: unknown key 'detect2'", 0), 0u);
  EXPECT_EQ(error_of("id = \"x\"\nissuer = \"y\"\ndetect = '(unclosed'\n[fields]\nname = '(?P<value>.+)'\n")
                .rfind("3: detect: the pattern does not compile", 0), 0u);
  EXPECT_EQ(error_of(head + "reject = '['\n[fields]\nname = '(?P<value>.+)'\n").rfind("4: reject: the pattern does not compile", 0), 0u);
  {
    const std::string e = error_of(head + "[fields]\nname = [\n  '(?P<value>a)',\n  '(?P<value>[)',\n]\n");
    EXPECT_EQ(e.rfind("7: field 'name': the pattern does not compile", 0), 0u) << e;
  }
  EXPECT_EQ(error_of(head + "[fields]\nname = [\n  '(?P<value>a)',\n  3,\n]\n").rfind("7: field 'name': every pattern must be a string", 0), 0u);
  EXPECT_EQ(error_of(head + "[fields]\nname = 3\n").rfind("5: field 'name' must be a pattern", 0), 0u);
  EXPECT_EQ(error_of(head + "[fields]\nname = []\n").rfind("5: field 'name': the list of patterns is empty", 0), 0u);
  EXPECT_EQ(error_of(head + "fields = 'x'\n").rfind("4: 'fields' must be a table", 0), 0u);
  EXPECT_EQ(error_of(std::string(300 * 1024, '#')).rfind("1: is 300 KiB, larger than", 0), 0u);
  EXPECT_EQ(error_of("id = \"x\"\nissuer = \"\xff\"\n").rfind("2: invalid TOML", 0), 0u);
}

TEST(TemplateLoad, DuplicateIdInOneDirectory) {
  TempDir tmp;
  const std::string d = tmp.sub("d");
  write(d, "a.toml", minimal("same"));
  write(d, "b.toml", minimal("same"));
  try {
    (void)TemplateSet::load({d});
    ADD_FAILURE() << "no error";
  } catch (const TemplateError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(d + "/b.toml:1: id 'same' is already the id of the template at " + d + "/a.toml:1", 0), 0u) << what;
  }
}

TEST(TemplateLoad, DirectoriesAndFileOrder) {
  TempDir tmp;
  const std::string own = tmp.sub("own");
  // The operator's wording of the SICAVISP template, and one of their own
  // that matches anything with "constancia".
  write(own, "mine.toml",
        "id = \"sicavisp-otorga\"\nissuer = \"Operador\"\ndetect = '(?i)otorga\\s+la\\s+presente'\n[fields]\n"
        "name = '(?i)a:\\s+(?P<value>\\p{L}+ \\p{L}+)'\n");
  write(own, "z-generic.toml", minimal("generica"));
  write(own, "a-generic.toml", minimal("primera"));
  write(own, ".hidden.toml", "not toml at all [");
  write(own, "notes.txt", "not a template");
  write(own, "README.toml~", "backup");
  fs::create_directories(fs::path(own) / "sub.toml");

  const auto shipped = TemplateSet::load({shipped_dir()});
  const auto set = TemplateSet::load({"", own, shipped_dir()});
  EXPECT_EQ(set.size(), shipped.size() + 2);  // sicavisp-otorga counted once
  const std::string text = "La SFP otorga la presente CONSTANCIA a: ANA RUIZ por haber acreditado el curso «Ética»";
  // Files of one directory in name order: a-generic.toml comes first.
  EXPECT_EQ(set.read({text}).template_id, "primera");
  EXPECT_EQ(set.read({text}).template_file, own + "/a-generic.toml");
  fs::remove(fs::path(own) / "a-generic.toml");
  fs::remove(fs::path(own) / "z-generic.toml");
  const auto mine_first = TemplateSet::load({own, shipped_dir()});
  auto r = mine_first.read({text});
  EXPECT_EQ(r.template_id, "sicavisp-otorga");
  EXPECT_EQ(r.template_file, own + "/mine.toml");
  EXPECT_EQ(r.fields.at("name").value, "Ana Ruiz");
  EXPECT_EQ(r.fields.count("course"), 0u);  // the operator's template reads the name only
  const auto shipped_first = TemplateSet::load({shipped_dir(), own});
  r = shipped_first.read({text});
  EXPECT_EQ(r.template_id, "sicavisp-otorga");
  EXPECT_NE(r.template_file, own + "/mine.toml");
  EXPECT_EQ(r.fields.at("course").value, "Ética");
}

TEST(TemplateLoad, MissingDirectoryAndEmptyList) {
  TempDir tmp;
  EXPECT_THROW((void)TemplateSet::load({(tmp.path() / "nope").string()}), TemplateError);
  EXPECT_EQ(TemplateSet::load({}).size(), 0u);
  EXPECT_EQ(TemplateSet::load({tmp.sub("empty")}).size(), 0u);
}

TEST(TemplateLoad, RejectKeepsATemplateOff) {
  TempDir tmp;
  const std::string d = tmp.sub("d");
  write(d, "a.toml", minimal("a") + "");
  std::string b = minimal("b");
  write(d, "a.toml", "reject = '(?i)borrador'\n" + minimal("a"));
  write(d, "b.toml", b);
  const auto set = TemplateSet::load({d});
  EXPECT_EQ(set.read({"CONSTANCIA a: Ana Ruiz"}).template_id, "a");
  EXPECT_EQ(set.read({"CONSTANCIA (BORRADOR) a: Ana Ruiz"}).template_id, "b");
}

TEST(TemplateLoad, MovedSetIsUsable) {
  TemplateSet a = TemplateSet::load({shipped_dir()});
  TemplateSet b = std::move(a);
  EXPECT_EQ(b.size(), 5u);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): a moved-from set is empty, not broken
  EXPECT_EQ(a.read({"Se hace constar que ANA RUIZ acreditó el curso «Ética»"}).template_id, "");
  a = std::move(b);
  EXPECT_EQ(a.size(), 5u);
}

TEST(TemplateLoad, DefaultDir) {
  const std::string d = TemplateSet::default_dir();
  EXPECT_NE(d.find("share/sseccoe-agent/templates"), std::string::npos) << d;
}

}  // namespace
}  // namespace sseccoe::core::extract
