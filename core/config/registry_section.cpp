// [registry]: where evidence is synced, and how patiently.
#include <algorithm>
#include <cctype>

#include "config/files_check.hpp"
#include "config/schema.hpp"
#include "config/sections.hpp"

namespace sseccoe::core::config_detail {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_ipv4_loopback(const std::string& host) {
  // 127.0.0.0/8, written as four decimal octets.
  int parts = 0;
  std::size_t i = 0;
  int first = -1;
  while (i <= host.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < host.size() && std::isdigit(static_cast<unsigned char>(host[j])) && j - i < 3)
      value = value * 10 + (host[j++] - '0');
    if (j == i || value > 255) return false;
    if (first < 0) first = value;
    ++parts;
    if (j == host.size()) break;
    if (host[j] != '.') return false;
    i = j + 1;
  }
  return parts == 4 && first == 127;
}

bool is_loopback(const std::string& host) {
  const std::string h = lower(host);
  return h == "localhost" || h == "localhost." || h == "[::1]" || is_ipv4_loopback(h);
}

Location at(const std::map<std::string, Location>& where, const std::string& name, const Location& fallback) {
  auto it = where.find(name);
  return it == where.end() ? fallback : it->second;
}

}  // namespace

std::string check_registry_url(const std::string& url) {
  const std::string example = "e.g. \"https://registro.example.gob.mx/api/v1\"";
  if (std::any_of(url.begin(), url.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return "contains white space: write the URL alone, " + example;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return "is not a URL: write it with https://, " + example;
  const std::string scheme = lower(url.substr(0, scheme_end));
  if (scheme != "https" && scheme != "http")
    return "has the scheme '" + url.substr(0, scheme_end) + "': the registry speaks https, " + example;
  const std::string rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string authority = rest.substr(0, authority_end);
  const std::string path = authority_end == std::string::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string::npos)
    return "contains a user name or password: credentials never go in the URL; put the token in a file and "
           "set token_file";
  if (path.find_first_of("?#") != std::string::npos)
    return "has a query or fragment ('?' or '#'): write only the API's base URL, " + example;
  std::string host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) return "has an unclosed '[' in its host";
    host = authority.substr(0, close + 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "has characters after the IPv6 address: write [addr]:port";
      port = after.substr(1);
    }
  } else if (const auto colon = authority.find(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return "has no host name, " + example;
  const bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '[' || c == ']' ||
           c == ':';
  });
  if (!host_ok) return "has an invalid host name " + quoted(host);
  if (authority.find(':') != std::string::npos && authority.back() != ']') {
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
      return "has an invalid port " + quoted(port) + ": write a number from 1 to 65535";
  }
  if (scheme == "http" && !is_loopback(host))
    return "uses plain http to " + host +
           ": use https:// so that the token and the evidence travel encrypted (plain http is allowed only "
           "to a loopback address: 127.0.0.1, localhost, [::1])";
  return {};
}

void validate_registry(const TopLevel& top, const LoadOptions& options, RegistrySection& out,
                       Diagnostics& diag) {
  report_unknown_keys(top.registry, names_of(kRegistryOptions), "registry", diag);
  sdk::OptionValues values;
  std::map<std::string, Location> where;
  apply_specs(top.registry, kRegistryOptions, {"registry", top.registry_where, "the agent", options.check_files},
              values, where, diag);
  out.where = top.registry_where;

  if (values.has("url")) {
    out.url = values.str("url");
    const std::string problem = check_registry_url(out.url);
    if (!problem.empty()) diag.error(at(where, "url", out.where), "registry.url", problem);
    while (out.url.size() > 1 && out.url.back() == '/') out.url.pop_back();
  }
  if (values.has("token_file")) out.token_file = values.str("token_file");
  if (!out.url.empty() && out.token_file.empty() && !where.count("token_file"))
    diag.error(at(where, "url", out.where), "registry.token_file",
               "required when url is set: put the registry's bearer token in a file (mode 0600) and add "
               "token_file = \"/etc/sseccoe-agent/registry.token\"");
  if (out.url.empty() && !out.token_file.empty())
    diag.warning(at(where, "token_file", out.where), "registry.token_file",
                 "is set but url is not: nothing will be synced until url is set");
  if (values.has("ca_file")) {
    out.ca_file = values.str("ca_file");
    if (options.check_files)
      check_readable_file(out.ca_file, at(where, "ca_file", out.where), "registry.ca_file", false, diag);
  }
  if (values.has("timeout")) out.timeout = values.duration("timeout");
  if (values.has("retry_initial")) out.retry_initial = values.duration("retry_initial");
  if (values.has("retry_max")) out.retry_max = values.duration("retry_max");
  if (values.has("concurrency")) out.concurrency = static_cast<int>(std::clamp<std::int64_t>(values.integer("concurrency"), -1, 1000));

  using std::chrono::milliseconds;
  if (where.count("timeout") && out.timeout < milliseconds(100))
    diag.error(where["timeout"], "registry.timeout", "must be at least 100ms, e.g. \"30s\"");
  if (where.count("retry_initial") && out.retry_initial < milliseconds(10))
    diag.error(where["retry_initial"], "registry.retry_initial", "must be at least 10ms, e.g. \"1s\"");
  if (out.retry_max < out.retry_initial)
    diag.error(at(where, "retry_max", at(where, "retry_initial", out.where)), "registry.retry_max",
               "must not be shorter than retry_initial: the wait doubles from retry_initial up to retry_max");
  if (where.count("concurrency") && (out.concurrency < 1 || out.concurrency > 32))
    diag.error(where["concurrency"], "registry.concurrency", "must be from 1 to 32");
}

}  // namespace sseccoe::core::config_detail
