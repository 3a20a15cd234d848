#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "pass_plan.hpp"

namespace sseccoe::sql {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

constexpr const char* kQuery = "SELECT * FROM rh.v";
const milliseconds kDay = std::chrono::duration_cast<milliseconds>(hours(24));
constexpr std::int64_t kT0 = 1'620'000'000;

std::string cursor_at(std::int64_t last_full, const std::string& max, const std::string& column = "upd") {
  return encode({fingerprint(kQuery, column), last_full, max});
}

TEST(SyncState, RoundTripsEvenWithSeparatorsInTheValue) {
  const SyncState s{"abc", 42, "2021-05-14 10:00:00\t+00"};
  const auto back = decode(encode(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->fingerprint, "abc");
  EXPECT_EQ(back->last_full, 42);
  EXPECT_EQ(back->max_value, s.max_value);
}

TEST(SyncState, AnythingElseIsNoState) {
  for (const char* c : {"", "sql1", "sql1\tfp", "sql1\tfp\t12", "sql2\tfp\t12\tx", "sql1\tfp\tx12\tv",
                        "sql1\tfp\t-5\tv", "sql1\tfp\t\tv", "sql1\tfp\t99999999999999999999999\tv", "garbage"})
    EXPECT_FALSE(decode(c)) << c;
}

TEST(Fingerprint, DependsOnQueryAndColumn) {
  EXPECT_EQ(fingerprint("a", "b"), fingerprint("a", "b"));
  EXPECT_NE(fingerprint("a", "b"), fingerprint("a", "c"));
  EXPECT_NE(fingerprint("a", "b"), fingerprint("ab", ""));
  EXPECT_EQ(fingerprint("a", "b").size(), 16u);
}

TEST(PlanPass, WithoutUpdatedColumnEveryPassIsFull) {
  const PassPlan p = plan_pass(cursor_at(kT0, "2021-01-01"), kQuery, "", kDay, kT0 + 10);
  EXPECT_TRUE(p.full);
  EXPECT_EQ(next_cursor("", p, kQuery, "", std::nullopt, kT0), "");
}

TEST(PlanPass, FirstPassIsFullAndRemembersTheMaximum) {
  const PassPlan p = plan_pass("", kQuery, "upd", kDay, kT0);
  EXPECT_TRUE(p.full);
  EXPECT_EQ(p.why, "first pass");
  const std::string c = next_cursor("", p, kQuery, "upd", "2021-05-14 10:00:00", kT0);
  const auto s = decode(c);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->last_full, kT0);
  EXPECT_EQ(s->max_value, "2021-05-14 10:00:00");
}

TEST(PlanPass, WithinFullEveryOnlyChangedRowsAreRead) {
  const std::string c = cursor_at(kT0, "2021-05-14 10:00:00");
  const PassPlan p = plan_pass(c, kQuery, "upd", kDay, kT0 + 3600);
  EXPECT_FALSE(p.full);
  EXPECT_EQ(p.lower_bound, "2021-05-14 10:00:00");
  // The incremental pass keeps the time of the last full pass.
  const auto s = decode(next_cursor(c, p, kQuery, "upd", "2021-05-15 08:00:00", kT0 + 3600));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->last_full, kT0);
  EXPECT_EQ(s->max_value, "2021-05-15 08:00:00");
  // No row at all: the old maximum stays.
  const auto same = decode(next_cursor(c, p, kQuery, "upd", std::nullopt, kT0 + 3600));
  ASSERT_TRUE(same);
  EXPECT_EQ(same->max_value, "2021-05-14 10:00:00");
}

TEST(PlanPass, AFullPassComesBackAfterFullEvery) {
  const std::string c = cursor_at(kT0, "v");
  EXPECT_FALSE(plan_pass(c, kQuery, "upd", kDay, kT0 + 86'399).full);
  const PassPlan due = plan_pass(c, kQuery, "upd", kDay, kT0 + 86'400);
  EXPECT_TRUE(due.full);
  EXPECT_EQ(due.why, "full_every elapsed");
  // A clock that went back is not trusted either.
  EXPECT_TRUE(plan_pass(c, kQuery, "upd", kDay, kT0 - 1).full);
}

TEST(PlanPass, ACursorForAnotherQueryOrColumnIsNotApplied) {
  EXPECT_TRUE(plan_pass(cursor_at(kT0, "v", "other"), kQuery, "upd", kDay, kT0 + 1).full);
  const std::string c = encode({fingerprint("SELECT 1", "upd"), kT0, "v"});
  const PassPlan p = plan_pass(c, kQuery, "upd", kDay, kT0 + 1);
  EXPECT_TRUE(p.full);
  EXPECT_EQ(p.why, "query or updated_column changed since the last pass");
}

TEST(PlanPass, NoValueSeenYetMeansFull) {
  EXPECT_TRUE(plan_pass(cursor_at(kT0, ""), kQuery, "upd", kDay, kT0 + 1).full);
  EXPECT_TRUE(plan_pass("not a cursor", kQuery, "upd", kDay, kT0 + 1).full);
}

}  // namespace
}  // namespace sseccoe::sql
