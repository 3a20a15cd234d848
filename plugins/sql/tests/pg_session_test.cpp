#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "pg_session.hpp"

namespace sseccoe::sql {
namespace {

// A loopback port nobody listens on: bound, then closed.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    return 1;
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(Classify, BySqlstate) {
  EXPECT_EQ(classify("28P01", ""), PgFailure::Authentication);
  EXPECT_EQ(classify("28000", ""), PgFailure::Authentication);
  EXPECT_EQ(classify("3D000", ""), PgFailure::Database);
  EXPECT_EQ(classify("42703", ""), PgFailure::Query);  // undefined column
  EXPECT_EQ(classify("42P01", ""), PgFailure::Query);  // undefined table
  EXPECT_EQ(classify("42501", ""), PgFailure::Query);  // no SELECT privilege
  EXPECT_EQ(classify("22007", ""), PgFailure::Query);  // a bad cast in the view
  EXPECT_EQ(classify("25006", ""), PgFailure::ReadOnly);
  EXPECT_EQ(classify("57014", ""), PgFailure::Timeout);
  EXPECT_EQ(classify("22P05", ""), PgFailure::Encoding);
  EXPECT_EQ(classify("22021", ""), PgFailure::Encoding);
  EXPECT_EQ(classify("57P01", ""), PgFailure::Transient);  // admin shutdown
  EXPECT_EQ(classify("08006", ""), PgFailure::Transient);
  EXPECT_EQ(classify("53300", ""), PgFailure::Transient);  // too many connections
  EXPECT_EQ(classify("40001", ""), PgFailure::Transient);
  EXPECT_EQ(classify("XX000", ""), PgFailure::Other);
}

TEST(Classify, LoginFailuresWithoutSqlstateByTheServersWords) {
  EXPECT_EQ(classify("", "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password "
                         "authentication failed for user \"lector\""),
            PgFailure::Authentication);
  EXPECT_EQ(classify("", "FATAL:  no pg_hba.conf entry for host \"10.0.0.1\""), PgFailure::Authentication);
  EXPECT_EQ(classify("", "FATAL:  role \"nadie\" does not exist"), PgFailure::Authentication);
  EXPECT_EQ(classify("", "FATAL:  database \"rhx\" does not exist"), PgFailure::Database);
  EXPECT_EQ(classify("", "Connection refused Is the server running"), PgFailure::Unreachable);
  EXPECT_EQ(classify("", "could not translate host name \"db.invalid\""), PgFailure::Unreachable);
  EXPECT_EQ(classify("", ""), PgFailure::Unreachable);
}

TEST(PgSession, AServerThatIsDownIsUnreachableAndThePasswordIsNeverShown) {
  const int port = closed_port();
  const Dsn dsn = parse_dsn("host=127.0.0.1 port=" + std::to_string(port) +
                            " dbname=rh user=lector password=Sup3rS3cret");
  try {
    PgSession session(dsn, {});
    FAIL() << "connected to a closed port";
  } catch (const PgError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.failure, PgFailure::Unreachable) << what;
    EXPECT_NE(what.find("cannot connect to PostgreSQL"), std::string::npos) << what;
    EXPECT_NE(what.find(std::to_string(port)), std::string::npos) << what;
    EXPECT_EQ(what.find("Sup3rS3cret"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(PgSession, AnUnknownHostIsUnreachable) {
  const Dsn dsn = parse_dsn("host=db.invalid dbname=rh user=lector password=Sup3rS3cret connect_timeout=2");
  try {
    PgSession session(dsn, {std::chrono::seconds(2)});
    FAIL() << "connected to db.invalid";
  } catch (const PgError& e) {
    EXPECT_EQ(e.failure, PgFailure::Unreachable) << e.what();
    EXPECT_EQ(std::string(e.what()).find("Sup3rS3cret"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sseccoe::sql
