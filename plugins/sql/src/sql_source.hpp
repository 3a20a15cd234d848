// The sql source: one pass reads the query's rows in one read-only snapshot
// and feeds them to the SDK's TableHarvest, which turns rows into items.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pg_session.hpp"
#include "sql_options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::sql {

class SqlSource final : public sdk::Source {
 public:
  // `now` (unix seconds) decides when full_every has elapsed; tests set it.
  explicit SqlSource(SqlSettings settings, std::function<std::int64_t()> now = {});

  // Throws std::runtime_error, prefixed with the source's name and ending
  // with what to do, when the pass cannot run: the DSN file, the server
  // (unreachable, refused login), the query (a missing table or column, a
  // time-out) or the columns (a renamed view column). Items emitted before a
  // failure are durable; the cursor does not advance, so the next pass reads
  // them again (unchanged) and nothing is lost.
  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;

  // Connects, describes the query (LIMIT 0) in a read-only transaction and
  // checks that every mapped column and updated_column are there.
  std::string probe() override;

 private:
  std::unique_ptr<PgSession> connect() const;
  // The message for a failed statement or connection: the error (already
  // scrubbed) plus what to do about it.
  std::string explain(const PgError& e) const;
  std::string where() const { return "source '" + s_.instance + "': "; }

  SqlSettings s_;
  std::function<std::int64_t()> now_;
};

}  // namespace sseccoe::sql
