#include "sql_text.hpp"

#include <stdexcept>

namespace sseccoe::sql {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string wrapped(std::string_view query) {
  std::string s = "SELECT * FROM (\n";
  s += query;
  s += "\n) AS ";
  s += kSubqueryAlias;
  return s;
}

std::string qualified(std::string_view column) {
  return std::string(kSubqueryAlias) + "." + quote_identifier(column);
}

}  // namespace

std::string quote_identifier(std::string_view name) {
  if (name.empty()) throw std::invalid_argument("an empty column name cannot be quoted");
  std::string out = "\"";
  for (char c : name) {
    if (c == '\0') throw std::invalid_argument("a column name cannot contain a NUL byte");
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string normalize_query(std::string_view query) {
  std::size_t begin = 0, end = query.size();
  for (;;) {
    while (begin < end && is_space(query[begin])) ++begin;
    while (end > begin && is_space(query[end - 1])) --end;
    if (end > begin && query[end - 1] == ';') {
      --end;
      continue;
    }
    break;
  }
  return std::string(query.substr(begin, end - begin));
}

bool looks_like_select(std::string_view q) {
  std::size_t i = 0;
  while (i < q.size()) {
    if (is_space(q[i])) {
      ++i;
    } else if (q.compare(i, 2, "--") == 0) {
      while (i < q.size() && q[i] != '\n') ++i;
    } else if (q.compare(i, 2, "/*") == 0) {
      // PostgreSQL's block comments nest.
      int depth = 0;
      while (i < q.size()) {
        if (q.compare(i, 2, "/*") == 0) {
          ++depth;
          i += 2;
        } else if (q.compare(i, 2, "*/") == 0) {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      if (depth != 0) return false;  // unterminated comment: nothing follows
    } else {
      break;
    }
  }
  if (i >= q.size()) return false;
  if (q[i] == '(') return true;
  std::string word;
  while (i < q.size() && is_word_char(q[i]) && word.size() < 8) word += ascii_lower(q[i++]);
  if (i < q.size() && is_word_char(q[i])) return false;  // longer than any accepted keyword
  return word == "select" || word == "with" || word == "values" || word == "table";
}

std::string describe_sql(std::string_view query) { return wrapped(query) + " LIMIT 0"; }

std::string rows_sql(std::string_view query, std::string_view updated_column, bool lower_bound) {
  std::string s = wrapped(query);
  if (lower_bound) s += " WHERE " + qualified(updated_column) + " >= $1";
  return s;
}

std::string max_sql(std::string_view query, std::string_view updated_column, bool lower_bound) {
  std::string s = "SELECT max(" + qualified(updated_column) + ")::text FROM (\n";
  s += query;
  s += "\n) AS ";
  s += kSubqueryAlias;
  if (lower_bound) s += " WHERE " + qualified(updated_column) + " >= $1";
  return s;
}

std::string declare_cursor_sql(std::string_view select_sql) {
  // NO SCROLL: rows are read once, forward; the server need not keep them.
  return "DECLARE " + std::string(kCursorName) + " NO SCROLL CURSOR FOR " + std::string(select_sql);
}

std::string fetch_sql(long long batch) {
  return "FETCH FORWARD " + std::to_string(batch) + " FROM " + std::string(kCursorName);
}

}  // namespace sseccoe::sql
