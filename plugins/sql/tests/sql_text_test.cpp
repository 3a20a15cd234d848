#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sql_text.hpp"

namespace sseccoe::sql {
namespace {

TEST(QuoteIdentifier, QuotesEveryNameAsItIs) {
  EXPECT_EQ(quote_identifier("updated_at"), "\"updated_at\"");
  EXPECT_EQ(quote_identifier("Fecha de Actualización"), "\"Fecha de Actualización\"");
  EXPECT_EQ(quote_identifier("MixedCase"), "\"MixedCase\"");
}

TEST(QuoteIdentifier, DoublesEmbeddedQuotesSoNothingEscapes) {
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  // An attempt to close the identifier and append SQL stays one identifier.
  EXPECT_EQ(quote_identifier("x\" > now(); DROP TABLE t; --"), "\"x\"\" > now(); DROP TABLE t; --\"");
  EXPECT_EQ(quote_identifier("\"\""), "\"\"\"\"\"\"");
}

TEST(QuoteIdentifier, RefusesEmptyAndNul) {
  EXPECT_THROW(quote_identifier(""), std::invalid_argument);
  EXPECT_THROW(quote_identifier(std::string("a\0b", 3)), std::invalid_argument);
}

TEST(NormalizeQuery, TrimsAndDropsTrailingSemicolons) {
  EXPECT_EQ(normalize_query("  SELECT 1;\n"), "SELECT 1");
  EXPECT_EQ(normalize_query("SELECT 1 ; ;; \t\r\n"), "SELECT 1");
  EXPECT_EQ(normalize_query("SELECT ';'"), "SELECT ';'");
  EXPECT_EQ(normalize_query(" ; ; "), "");
  EXPECT_EQ(normalize_query(""), "");
}

TEST(LooksLikeSelect, AcceptsReadingStatements) {
  for (const char* q : {"SELECT 1", "select * from t", "  WITH x AS (SELECT 1) SELECT * FROM x", "VALUES (1)",
                        "TABLE rh.plantilla", "(SELECT 1) UNION (SELECT 2)", "-- comment\nSELECT 1",
                        "/* a /* nested */ comment */ SELECT 1", "SeLeCt\t1", "select\n*"})
    EXPECT_TRUE(looks_like_select(q)) << q;
}

TEST(LooksLikeSelect, RefusesEverythingElse) {
  for (const char* q : {"", "   ", "UPDATE t SET a = 1", "DELETE FROM t", "rh.v_plantilla", "CALL p()",
                        "selectx FROM t", "-- only a comment", "/* unterminated SELECT 1",
                        "/* nested /* only closed once */ SELECT 1", "INSERT INTO t SELECT 1", "COPY t TO STDOUT",
                        "EXPLAIN SELECT 1"})
    EXPECT_FALSE(looks_like_select(q)) << q;
}

TEST(Wrapping, DescribeReadsNoRows) {
  EXPECT_EQ(describe_sql("SELECT * FROM v"), "SELECT * FROM (\nSELECT * FROM v\n) AS sseccoe_rows LIMIT 0");
}

TEST(Wrapping, ATrailingLineCommentCannotSwallowTheParenthesis) {
  const std::string sql = rows_sql("SELECT * FROM v -- the view", "", false);
  EXPECT_EQ(sql, "SELECT * FROM (\nSELECT * FROM v -- the view\n) AS sseccoe_rows");
}

TEST(Wrapping, IncrementalRowsUseAParameterAndAQuotedColumn) {
  EXPECT_EQ(rows_sql("SELECT * FROM v", "Actualizado", true),
            "SELECT * FROM (\nSELECT * FROM v\n) AS sseccoe_rows WHERE sseccoe_rows.\"Actualizado\" >= $1");
  // Without a lower bound the column is not even mentioned.
  EXPECT_EQ(rows_sql("SELECT * FROM v", "Actualizado", false), "SELECT * FROM (\nSELECT * FROM v\n) AS sseccoe_rows");
}

TEST(Wrapping, MaxIsTextWithTheSameBound) {
  EXPECT_EQ(max_sql("SELECT * FROM v", "upd", false),
            "SELECT max(sseccoe_rows.\"upd\")::text FROM (\nSELECT * FROM v\n) AS sseccoe_rows");
  EXPECT_EQ(max_sql("SELECT * FROM v", "upd", true),
            "SELECT max(sseccoe_rows.\"upd\")::text FROM (\nSELECT * FROM v\n) AS sseccoe_rows WHERE "
            "sseccoe_rows.\"upd\" >= $1");
}

TEST(Wrapping, CursorStatements) {
  EXPECT_EQ(declare_cursor_sql("SELECT 1"), "DECLARE sseccoe_cursor NO SCROLL CURSOR FOR SELECT 1");
  EXPECT_EQ(fetch_sql(1000), "FETCH FORWARD 1000 FROM sseccoe_cursor");
}

}  // namespace
}  // namespace sseccoe::sql
