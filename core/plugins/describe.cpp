// `plugins describe NAME` and docs/plugins/NAME.md, both generated from the
// plugin's option table so that neither can drift from what is validated.
#include <algorithm>
#include <sstream>

#include "plugins/plugin_registry.hpp"
#include "plugins/source_options.hpp"

namespace sseccoe::core {

namespace {

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string shown_default(const sdk::OptionSpec& spec) {
  if (!spec.default_value.empty()) return std::string(spec.default_value);
  return spec.required ? "(required)" : "(none)";
}

// Terminal width of UTF-8 text: one column per code point is exact enough
// for option tables (Latin text, no wide characters).
std::size_t width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void text_table(std::ostringstream& out, std::span<const sdk::OptionSpec> specs) {
  const std::vector<std::string> header = {"OPTION", "TYPE", "DEFAULT", "REQUIRED", "SECRET", "DESCRIPTION"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : specs)
    rows.push_back({std::string(s.name), std::string(sdk::to_string(s.type)), shown_default(s), yes_no(s.required),
                    yes_no(s.secret), std::string(s.doc)});
  std::vector<std::size_t> widths(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) {
    widths[c] = width(header[c]);
    for (const auto& r : rows) widths[c] = std::max(widths[c], width(r[c]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l = "  ";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      l += cells[c];
      if (c + 1 < cells.size()) l += std::string(widths[c] - width(cells[c]) + 2, ' ');
    }
    out << l << "\n";
  };
  line(header);
  for (const auto& r : rows) line(r);
}

// Inside a table, a pipe ends the cell even in a code span, and a line
// break ends the row.
std::string table_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

// Prose in a cell: characters markdown would read as emphasis, HTML or
// code are escaped ("Office lock files (~$*)" must not start italics).
std::string cell(std::string_view text) {
  std::string out;
  for (char c : table_safe(text)) {
    if (c == '*' || c == '<' || c == '`') out += '\\';
    out += c;
  }
  return out;
}

std::string code(std::string_view text) { return text.empty() ? "" : "`" + table_safe(text) + "`"; }

void markdown_table(std::ostringstream& out, std::span<const sdk::OptionSpec> specs) {
  out << "| Option | Type | Default | Required | Secret | Description |\n";
  out << "|---|---|---|---|---|---|\n";
  for (const auto& s : specs)
    out << "| " << code(s.name) << " | " << sdk::to_string(s.type) << " | " << code(s.default_value) << " | "
        << (s.required ? "yes" : "") << " | " << (s.secret ? "yes" : "") << " | " << cell(s.doc) << " |\n";
}

std::string example_value(const sdk::OptionSpec& spec) {
  using sdk::OptionType;
  const std::string name(spec.name);
  switch (spec.type) {
    case OptionType::String: return "\"...\"";
    case OptionType::Path:
      return spec.secret ? "\"/etc/sseccoe-agent/" + name.substr(0, name.size() - 5) + ".secret\""
                         : "\"/path/to/" + name + "\"";
    case OptionType::Integer: return "1";
    case OptionType::Boolean: return "true";
    case OptionType::Duration: return "\"5m\"";
    case OptionType::Size: return "\"10MiB\"";
    case OptionType::StringList: return "[\"...\"]";
    case OptionType::StringMap: return "{ field = \"...\" }";
  }
  return "\"...\"";
}

}  // namespace

std::string describe_plugin_text(const sdk::Plugin& plugin) {
  std::ostringstream out;
  out << plugin.name() << ": " << plugin.description() << "\n\n";
  out << "Options, in a [[source]] table with plugin = \"" << plugin.name() << "\":\n";
  if (plugin.options().empty())
    out << "  (none)\n";
  else
    text_table(out, plugin.options());
  out << "\nOptions every source has:\n";
  text_table(out, core_source_options());
  out << "\nDurations: \"250ms\", \"30s\", \"5m\", \"2h\", \"1d\" or whole seconds. "
         "Sizes: bytes, or \"64KiB\", \"10MiB\", \"1GiB\".\n"
         "A secret option names a file holding the secret; the secret itself is never written in the "
         "configuration.\n";
  return out.str();
}

std::string describe_plugin_markdown(const sdk::Plugin& plugin) {
  const std::string name(plugin.name());
  std::ostringstream out;
  out << "# Source plugin `" << name << "`\n\n";
  out << "<!-- Generated from the plugin's option table by `sseccoe-agent plugins describe " << name
      << " --markdown`; do not edit by hand. -->\n\n";
  out << cell(plugin.description()) << "\n\n";
  out << "## Options\n\n";
  if (plugin.options().empty())
    out << "This plugin has no options of its own.\n\n";
  else {
    markdown_table(out, plugin.options());
    out << "\n";
  }
  out << "Durations are written `\"250ms\"`, `\"30s\"`, `\"5m\"`, `\"2h\"`, `\"1d\"` or as whole seconds; sizes as "
         "bytes or `\"64KiB\"`, `\"10MiB\"`, `\"1GiB\"` (1024-based). A secret option names a file that holds the "
         "secret (see [configuration](../configuration.md#secrets)).\n\n";
  out << "## Options every source has\n\n";
  markdown_table(out, core_source_options());
  out << "\n## Example\n\n";
  out << "```toml\n[[source]]\nname = \"" << name << "\"\nplugin = \"" << name << "\"\n";
  for (const auto& spec : plugin.options())
    if (spec.required) out << spec.name << " = " << example_value(spec) << "\n";
  out << "```\n";
  return out.str();
}

}  // namespace sseccoe::core
