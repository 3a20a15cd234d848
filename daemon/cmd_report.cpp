// `report`: indicator progress from the stored records, by the same engine
// the registry uses (core/report). Counted: records that are classified and
// sendable (pending or registered); unclassified and held ones are not
// evidence yet.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "report/format_es.hpp"
#include "report/progress.hpp"

namespace sseccoe::agent {

namespace {

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_html(const report::Progress& p) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"es-MX\"><head><meta charset=\"utf-8\"><title>Avance del "
    << html_escape(p.program) << "</title></head><body>\n<h1>Avance de indicadores — " << html_escape(p.program)
    << "</h1>\n<p>" << html_escape(p.institution_name) << " (" << html_escape(p.institution) << ")</p>\n"
    << "<table border=\"1\" cellpadding=\"4\">\n<tr><th>Indicador</th><th>Descripción</th><th>Meta</th>"
       "<th>Avance</th><th>Estado</th></tr>\n";
  for (const auto& i : p.indicators) {
    o << "<tr><td>" << html_escape(i.key) << "</td><td>" << html_escape(i.text) << "</td><td>"
      << html_escape(report::es::goal(i.goal)) << "</td><td>" << html_escape(report::es::advance(i)) << "</td><td>"
      << html_escape(report::es::status(i.status)) << "</td></tr>\n";
  }
  o << "</table>\n";
  for (const auto& i : p.indicators) o << "<p><b>" << html_escape(i.key) << ".</b> " << html_escape(i.summary) << "</p>\n";
  o << "</body></html>\n";
  return o.str();
}

}  // namespace

int cmd_report(Context& ctx) {
  const std::string format = ctx.args().value("format", "text");
  if (format != "text" && format != "json" && format != "html")
    throw UsageError("report --format: text, json or html, not '" + format + "'");
  const auto& catalog = ctx.catalog();
  report::ProgressBuilder builder(catalog);
  std::size_t registered = 0, pending = 0;
  for (const auto& r : ctx.store().records()) {
    if (r.status != "synced" && r.status != "pending") continue;
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_object()) continue;
    try {
      builder.add(report::fact_from_record(model::record_from_json(body)));
    } catch (const std::exception&) {
      continue;  // a body the model refuses is not evidence; `records show` tells why
    }
    (r.status == "synced" ? registered : pending)++;
  }
  report::Progress progress = builder.finish();
  nlohmann::json j = report::to_json(progress);
  j["records"] = {{"registered", registered}, {"pending", pending}};
  std::string text;
  if (format == "json") text = j.dump(2) + "\n";
  else if (format == "html") text = render_html(progress);
  else
    text = report::render_progress_text(progress) + "\nEvidencia considerada: " + std::to_string(registered) +
           " registrada(s) con folio, " + std::to_string(pending) + " pendiente(s) de envío.\n";
  const std::string out = ctx.args().value("out");
  if (out.empty()) {
    std::cout << text;
  } else {
    std::ofstream f(out);
    f << text;
    if (!f) throw Failure("cannot write the report to " + out);
  }
  return 0;
}

}  // namespace sseccoe::agent
