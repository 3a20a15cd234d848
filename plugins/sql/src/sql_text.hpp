// SQL text the plugin builds around the configured query. Values never go
// into SQL text: they travel as parameters ($1); only the configured column
// name does, quoted as an identifier.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::sql {

// "name" with embedded double quotes doubled, so that any column name (mixed
// case, spaces, accents, quotes) is read as exactly that name. Throws
// std::invalid_argument for an empty name or one with a NUL byte.
std::string quote_identifier(std::string_view name);

// The query without surrounding white space and trailing semicolons
// ("SELECT ... ;\n" is how people paste queries). Empty when nothing is left.
std::string normalize_query(std::string_view query);

// True when the first token after white space and comments (-- and nested
// /* */) is SELECT, WITH, VALUES, TABLE (any case) or an opening parenthesis:
// the statements that can stand as a subquery. Anything else (an UPDATE, a
// CALL, a bare view name) is refused before it reaches the server.
bool looks_like_select(std::string_view query);

// The alias the configured query gets when it is wrapped as a subquery.
inline constexpr std::string_view kSubqueryAlias = "sseccoe_rows";
// The server-side cursor rows are fetched from.
inline constexpr std::string_view kCursorName = "sseccoe_cursor";

// The query as a subquery. The line breaks around it keep a trailing
// "-- comment" in the query from swallowing the closing parenthesis.
//   describe: no rows, only the column names and types (LIMIT 0)
//   rows:     every row; with `updated_column`, only rows whose value is at
//             least $1 (at least, not greater: a row updated later in the
//             same instant as the last one seen is not skipped; the rows read
//             twice are unchanged for the store)
//   max:      the largest `updated_column` value as text, with the same
//             optional lower bound $1
std::string describe_sql(std::string_view query);
std::string rows_sql(std::string_view query, std::string_view updated_column, bool lower_bound);
std::string max_sql(std::string_view query, std::string_view updated_column, bool lower_bound);
std::string declare_cursor_sql(std::string_view select_sql);
std::string fetch_sql(long long batch);

}  // namespace sseccoe::sql
