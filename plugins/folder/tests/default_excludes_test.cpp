#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "folder_options.hpp"
#include "sdk_text.hpp"
#include "test_support.hpp"

namespace sseccoe::folder {
namespace {

TEST(Glob, DefaultExcludesDoWhatTheirDocSays) {
  std::vector<std::string> exclude;
  for (const auto& spec : option_table())
    if (spec.name == "exclude")
      exclude = std::get<std::vector<std::string>>(testing::parse_default(spec.type, std::string(spec.default_value)));
  ASSERT_FALSE(exclude.empty());
  const GlobSet set = GlobSet::compile(exclude, true);
  EXPECT_TRUE(set.matches(".hidden"));
  EXPECT_TRUE(set.matches("a/.DS_Store"));
  EXPECT_TRUE(set.matches("a/.git/config"));
  EXPECT_TRUE(set.matches("a/~$Informe.docx"));
  EXPECT_TRUE(set.matches("x.TMP"));
  EXPECT_TRUE(set.matches("fotos/thumbs.db"));
  EXPECT_TRUE(set.matches("Desktop.ini"));
  EXPECT_TRUE(set.matches("$RECYCLE.BIN/S-1-5-21/x.pdf"));
  EXPECT_TRUE(set.matches("System Volume Information/IndexerVolumeGuid"));
  EXPECT_TRUE(set.matches_everything_below(".snapshot"));
  EXPECT_FALSE(set.matches("constancias/Constancia 2021.pdf"));
  EXPECT_FALSE(set.matches("a.b/c.pdf"));
  EXPECT_FALSE(set.matches("temp/x.pdf"));
}

}  // namespace
}  // namespace sseccoe::folder
