#include "metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

using namespace sseccoe::metrics;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST(FormatValue, IntegersWithoutExponent) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(-0.0), "0");
  EXPECT_EQ(format_value(1), "1");
  EXPECT_EQ(format_value(-3), "-3");
  // A 40 GiB disk in bytes, as the free-space gauge reports it.
  EXPECT_EQ(format_value(42949672960.0), "42949672960");
  EXPECT_EQ(format_value(9007199254740992.0), "9007199254740992");
}

TEST(FormatValue, FractionsRoundTrip) {
  EXPECT_EQ(format_value(0.5), "0.5");
  EXPECT_EQ(format_value(0.1), "0.1");
  for (double v : {0.1 + 0.2, 1.0 / 3, 1e-300, 123456.789, 1e300}) {
    const std::string s = format_value(v);
    EXPECT_EQ(std::stod(s), v) << s;
  }
  // Beyond 2^53 integers are no longer exact: the shortest form is used.
  EXPECT_EQ(std::stod(format_value(1e20)), 1e20);
}

TEST(FormatValue, SpecialValuesAsPrometheusSpellsThem) {
  EXPECT_EQ(format_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(Escaping, LabelValues) {
  EXPECT_EQ(escape_label_value("plain"), "plain");
  EXPECT_EQ(escape_label_value("a\"b"), "a\\\"b");
  EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
  EXPECT_EQ(escape_label_value("a\nb"), "a\\nb");
  EXPECT_EQ(escape_label_value(""), "");
  // Other bytes (UTF-8, tabs, even invalid UTF-8) pass through untouched.
  EXPECT_EQ(escape_label_value("difusión\t\xff"), "difusión\t\xff");
}

TEST(Escaping, HelpKeepsQuotes) {
  EXPECT_EQ(escape_help("say \"why\"\\\nnext"), "say \"why\"\\\\\\nnext");
}

TEST(Names, MetricNames) {
  for (const char* ok : {"a", "_x", "sseccoe_outbox_pending", "ns:rule:rate5m", "A1"}) EXPECT_TRUE(valid_metric_name(ok)) << ok;
  for (const char* bad : {"", "1a", "a-b", "a b", "métrica", "a.b"}) EXPECT_FALSE(valid_metric_name(bad)) << bad;
}

TEST(Names, LabelNames) {
  for (const char* ok : {"source", "_x", "reason2"}) EXPECT_TRUE(valid_label_name(ok)) << ok;
  for (const char* bad : {"", "__name__", "__x", "a:b", "1a", "a-b"}) EXPECT_FALSE(valid_label_name(bad)) << bad;
}

TEST(Registry, RendersTheExpositionFormatSortedByName) {
  Registry r;
  r.gauge("sseccoe_outbox_pending", "Records waiting to be sent").get().set(3);
  auto& items = r.counter("sseccoe_source_items_total", "Items per source and outcome", {"source", "outcome"});
  items.with({"mail", "new"}).inc(2);
  items.with({"constancias", "new"}).inc();
  items.with({"constancias", "unchanged"}).inc(5);
  r.gauge("sseccoe_harvest_paused", "1 while harvesting is paused", {"reason"}).with({"disk_full"}).set(1);
  EXPECT_EQ(r.render(),
            "# HELP sseccoe_harvest_paused 1 while harvesting is paused\n"
            "# TYPE sseccoe_harvest_paused gauge\n"
            "sseccoe_harvest_paused{reason=\"disk_full\"} 1\n"
            "# HELP sseccoe_outbox_pending Records waiting to be sent\n"
            "# TYPE sseccoe_outbox_pending gauge\n"
            "sseccoe_outbox_pending 3\n"
            "# HELP sseccoe_source_items_total Items per source and outcome\n"
            "# TYPE sseccoe_source_items_total counter\n"
            "sseccoe_source_items_total{source=\"constancias\",outcome=\"new\"} 1\n"
            "sseccoe_source_items_total{source=\"constancias\",outcome=\"unchanged\"} 5\n"
            "sseccoe_source_items_total{source=\"mail\",outcome=\"new\"} 2\n");
}

TEST(Registry, AnUnlabelledFamilyShowsZeroAtOnceALabelledOneOnlyOnceUsed) {
  Registry r;
  r.gauge("up_gauge", "x");
  r.counter("labelled_total", "y", {"source"});
  EXPECT_EQ(r.render(), "# HELP up_gauge x\n# TYPE up_gauge gauge\nup_gauge 0\n");
}

TEST(Registry, EscapesLabelValuesAndHelpInTheOutput) {
  Registry r;
  r.gauge("g", "line one\nline \\two", {"l"}).with({"a\"b\\c\nd"}).set(1);
  EXPECT_EQ(r.render(), "# HELP g line one\\nline \\\\two\n# TYPE g gauge\ng{l=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Registry, EveryLineMatchesTheTextFormatGrammar) {
  Registry r;
  auto& f = r.counter("weird_total", "values that need escaping", {"v"});
  for (const std::string& v : std::vector<std::string>{"", "\"", "\\", "\n", "\n\n\"\\", "ñ", std::string(5000, 'x'), std::string("\0nul", 4)})
    f.with({v}).inc();
  r.gauge("nan_gauge", "special").get().set(std::numeric_limits<double>::quiet_NaN());
  // The sample-line grammar of the 0.0.4 text format: name, optional
  // labels with escaped values, one space, a Go-parsable float.
  static const std::regex sample(
      R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (NaN|[+-]Inf|-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?))re");
  static const std::regex comment(R"re(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)re");
  int samples = 0;
  for (const auto& l : lines(r.render())) {
    if (l.rfind("# ", 0) == 0) {
      EXPECT_TRUE(std::regex_match(l, comment)) << l;
    } else {
      EXPECT_TRUE(std::regex_match(l, sample)) << l;
      ++samples;
    }
  }
  EXPECT_EQ(samples, 9);
}

TEST(Registry, RedeclaringTheSameFamilyReturnsItDifferentlyIsRefused) {
  Registry r;
  auto& a = r.counter("items_total", "help", {"source"});
  a.with({"x"}).inc(4);
  auto& b = r.counter("items_total", "help", {"source"});
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(b.with({"x"}).value(), 4);
  EXPECT_THROW(r.gauge("items_total", "help", {"source"}), std::invalid_argument);
  EXPECT_THROW(r.counter("items_total", "help", {"other"}), std::invalid_argument);
  EXPECT_THROW(r.counter("items_total", "other help", {"source"}), std::invalid_argument);
}

TEST(Registry, RefusesMalformedNamesAndWrongLabelCounts) {
  Registry r;
  EXPECT_THROW(r.gauge("bad-name", "x"), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {"__reserved"}), std::invalid_argument);
  EXPECT_THROW(r.gauge("g", "x", {"a", "a"}), std::invalid_argument);
  auto& f = r.gauge("g", "x", {"a", "b"});
  EXPECT_THROW(f.with({"only one"}), std::invalid_argument);
  EXPECT_THROW(f.get(), std::invalid_argument);
  EXPECT_THROW(f.with({"1", "2", "3"}), std::invalid_argument);
}

TEST(Counter, NeverGoesDown) {
  Counter c;
  c.inc();
  c.inc(2.5);
  EXPECT_EQ(c.value(), 3.5);
  EXPECT_THROW(c.inc(-1), std::invalid_argument);
  EXPECT_THROW(c.inc(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_EQ(c.value(), 3.5);
}

TEST(Gauge, SetAndAdd) {
  Gauge g;
  g.set(10);
  g.add(-4);
  EXPECT_EQ(g.value(), 6);
}

TEST(Registry, ConcurrentUpdatesAndRenderingLoseNothing) {
  Registry r;
  auto& items = r.counter("items_total", "x", {"source"});
  constexpr int kThreads = 8, kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      // Half look the series up every time (creating it concurrently), half
      // keep the reference, as a harvester does.
      Counter& mine = items.with({"s" + std::to_string(t % 2)});
      for (int i = 0; i < kPerThread; ++i) (t % 4 < 2 ? items.with({"s" + std::to_string(t % 2)}) : mine).inc();
    });
  std::thread renderer([&] {
    for (int i = 0; i < 200; ++i) (void)r.render();
  });
  for (auto& t : threads) t.join();
  renderer.join();
  EXPECT_EQ(items.with({"s0"}).value() + items.with({"s1"}).value(), double(kThreads) * kPerThread);
  EXPECT_EQ(items.with({"s0"}).value(), double(kThreads / 2) * kPerThread);
}
