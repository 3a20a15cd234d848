#include "sql_options.hpp"

#include <stdexcept>
#include <vector>

#include "sql_text.hpp"

namespace sseccoe::sql {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

// The defaults are TOML, parsed by the core like a user's value.
constexpr OptionSpec kOwnOptions[] = {
    {"dsn_file", OptionType::Path, "", true, true,
     "File holding the libpq connection string or postgresql:// URI, password included (mode 0600); read at "
     "each connection, never logged or put on a command line"},
    {"query", OptionType::String, "", true, false,
     "The SELECT whose rows are harvested, e.g. 'SELECT * FROM rh.v_cartas_compromiso'; it runs as a subquery "
     "in a read-only REPEATABLE READ transaction and is streamed through a server-side cursor"},
    {"updated_column", OptionType::String, "", false, false,
     "A column of the query that grows when a row changes (a last-modified timestamp or a version number); "
     "when set, passes read only rows at or after the largest value seen, and a full pass runs every "
     "full_every to notice removed rows"},
    {"full_every", OptionType::Duration, "1d", false, false,
     "With updated_column: how often a pass reads the whole result anyway, the only kind of pass that can "
     "notice removed rows (at least 1m)"},
    {"statement_timeout", OptionType::Duration, "5m", false, false,
     "Time limit the server applies to each statement (planning the query, each batch fetched); 0 disables it"},
    {"connect_timeout", OptionType::Duration, "10s", false, false,
     "How long to wait for the server to accept a connection (1s to 10m); overrides connect_timeout in the DSN"},
    {"fetch_size", OptionType::Integer, "1000", false, false,
     "Rows fetched from the server-side cursor per round trip (1 to 100000); memory grows with this, never "
     "with the size of the result"},
    {"time_zone", OptionType::String, "", false, false,
     "Time zone in which 'timestamp with time zone' columns become dates, e.g. 'America/Mexico_City'; empty: "
     "the server's TimeZone setting"},
};

std::vector<OptionSpec> build_table() {
  std::vector<OptionSpec> all(std::begin(kOwnOptions), std::end(kOwnOptions));
  for (const auto& spec : sdk::table::shared_options()) all.push_back(spec);
  return all;
}

// NUL included: a name with one could not reach the server intact.
bool has_control_char(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

std::span<const sdk::OptionSpec> option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

SqlSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  const std::string where = "source '" + config.instance + "': ";
  SqlSettings s;
  s.instance = config.instance;
  s.dsn_file = o.str("dsn_file");
  s.query = normalize_query(o.str("query"));
  if (o.has("updated_column")) s.updated_column = o.str("updated_column");
  s.full_every = o.duration("full_every");
  s.statement_timeout = o.duration("statement_timeout");
  const auto connect_timeout = o.duration("connect_timeout");
  s.fetch_size = o.integer("fetch_size");
  if (o.has("time_zone")) s.time_zone = o.str("time_zone");

  if (s.dsn_file.empty())
    throw std::invalid_argument(where + "option 'dsn_file' is empty: name the file holding the connection string");
  if (s.query.empty())
    throw std::invalid_argument(where + "option 'query' is empty: write the SELECT whose rows are harvested");
  if (!looks_like_select(s.query))
    throw std::invalid_argument(where +
                                "option 'query' must be a SELECT (or WITH ... SELECT, VALUES, TABLE): only reading "
                                "queries are run; for a view write 'SELECT * FROM schema.view'");
  if (has_control_char(s.updated_column))
    throw std::invalid_argument(where + "option 'updated_column' contains a control character");
  if (s.full_every < std::chrono::minutes(1))
    throw std::invalid_argument(where + "option 'full_every' must be at least 1m");
  if (s.statement_timeout.count() < 0)
    throw std::invalid_argument(where + "option 'statement_timeout' must not be negative (0 disables it)");
  if (connect_timeout < std::chrono::seconds(1) || connect_timeout > std::chrono::minutes(10))
    throw std::invalid_argument(where + "option 'connect_timeout' must be 1s to 10m");
  // libpq counts whole seconds; round up so "1500ms" does not become 1s.
  s.connect_timeout = std::chrono::ceil<std::chrono::seconds>(connect_timeout);
  if (s.fetch_size < kMinFetchSize || s.fetch_size > kMaxFetchSize)
    throw std::invalid_argument(where + "option 'fetch_size' is " + std::to_string(s.fetch_size) + ": it must be " +
                                std::to_string(kMinFetchSize) + " to " + std::to_string(kMaxFetchSize));
  if (has_control_char(s.time_zone))
    throw std::invalid_argument(where + "option 'time_zone' contains a control character");

  s.table = sdk::table::read_settings(config);
  if (!s.updated_column.empty() && s.table.role == "census")
    throw std::invalid_argument(where +
                                "option 'updated_column' cannot be used on a census source: the head count needs "
                                "every row at every pass; remove updated_column");
  return s;
}

}  // namespace sseccoe::sql
