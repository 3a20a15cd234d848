#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "sql_options.hpp"
#include "sql_plugin.hpp"
#include "sql_source.hpp"
#include "test_support.hpp"

namespace sseccoe::sql {
namespace {

using testing::config_with;
using testing::RecordingEmitter;
using testing::TempDir;

constexpr const char* kPassword = "Pl4inT3xt-Never-Shown";

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

sdk::SourceConfig down_server_config(const TempDir& dir) {
  const std::string dsn = dir.write("dsn", "host=127.0.0.1 port=" + std::to_string(closed_port()) +
                                               " dbname=rh user=lector password=" + kPassword + "\n");
  return config_with(dsn, "SELECT * FROM rh.v_cartas", {"employee_id"},
                     {{"employee_id", "num_empleado"}, {"occurred_on", "fecha_firma"}}, "cartas");
}

TEST(SqlPlugin, DescribesItselfAndRefusesBadOptions) {
  const SqlPlugin plugin;
  EXPECT_EQ(plugin.name(), "sql");
  EXPECT_EQ(plugin.abi_version(), sdk::kAbiVersion);
  EXPECT_FALSE(plugin.description().empty());
  EXPECT_EQ(plugin.options().size(), option_table().size());
  TempDir dir;
  auto bad = down_server_config(dir);
  bad.options.set("query", std::string("UPDATE rh.plantilla SET x = 1"));
  try {
    plugin.create(bad);
    FAIL() << "an UPDATE must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("source 'cartas': option 'query'"), std::string::npos) << e.what();
  }
}

// The server is down: the pass fails as a whole with the source's name, the
// advice says it is retried, nothing is emitted, and the password appears
// nowhere (message, log lines).
TEST(SqlSource, ServerDownFailsThePassAndIsRetriedLater) {
  TempDir dir;
  SqlSource source(read_settings(down_server_config(dir)));
  RecordingEmitter out;
  try {
    source.harvest({"previous"}, out, {});
    FAIL() << "harvested from a closed port";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("source 'cartas': cannot connect to PostgreSQL", 0), 0u) << what;
    EXPECT_NE(what.find("tried again at the next pass"), std::string::npos) << what;
    EXPECT_EQ(what.find(kPassword), std::string::npos) << what;
  }
  EXPECT_TRUE(out.items.empty());
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_TRUE(out.gone_keys.empty());
  for (const auto& line : out.logs) EXPECT_EQ(line.find(kPassword), std::string::npos) << line;

  const std::string probe = source.probe();
  EXPECT_NE(probe.find("cannot connect to PostgreSQL"), std::string::npos) << probe;
  EXPECT_EQ(probe.find(kPassword), std::string::npos) << probe;
}

TEST(SqlSource, AMissingOrMalformedDsnFileIsNamedNotQuoted) {
  TempDir dir;
  auto c = down_server_config(dir);
  c.options.set("dsn_file", dir.path() + "/missing");
  SqlSource missing(read_settings(c));
  RecordingEmitter out;
  try {
    missing.harvest({}, out, {});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("source 'cartas': cannot open dsn_file '" + dir.path() + "/missing'"),
              std::string::npos)
        << e.what();
  }
  c.options.set("dsn_file", dir.write("bad", std::string("host=db password=") + kPassword + " trailing"));
  SqlSource bad(read_settings(c));
  const std::string probe = bad.probe();
  EXPECT_NE(probe.find("not a valid libpq connection string"), std::string::npos) << probe;
  EXPECT_EQ(probe.find(kPassword), std::string::npos) << probe;
  EXPECT_EQ(probe.find("trailing"), std::string::npos) << probe;
}

// Loads libsql.so the way the agent does and runs a pass through it, with
// the error thrown inside the library and caught out here.
TEST(SqlPlugin, LoadsThroughPocoClassLoader) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(SQL_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(SQL_PLUGIN_FILE);
  ASSERT_NE(manifest.find("SqlPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("SqlPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "sql");
  EXPECT_EQ(plugin->options().size(), option_table().size());
  {
    TempDir dir;
    auto source = plugin->create(down_server_config(dir));
    RecordingEmitter out;
    EXPECT_THROW(source->harvest({}, out, {}), std::runtime_error);
  }
  plugin.reset();
  loader.unloadLibrary(SQL_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::sql
