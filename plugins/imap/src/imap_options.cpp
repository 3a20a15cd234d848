#include "imap_options.hpp"

#include <stdexcept>
#include <vector>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::imap {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

// The defaults are TOML, parsed by the core like a user's value.
constexpr OptionSpec kOwnOptions[] = {
    {"url", OptionType::String, "", true, false,
     "The mail server: imaps://host:993 (TLS), or imap://host:143 (STARTTLS, required unless the server is on "
     "this machine); the server's certificate is always verified"},
    {"username", OptionType::String, "", true, false, "The user to log in as"},
    {"password_file", OptionType::Path, "", false, true,
     "File whose first line is the password (or a systemd credential); give this or token_file"},
    {"token_file", OptionType::Path, "", false, true,
     "File whose first line is an OAuth2 bearer token, for XOAUTH2 login; it is read again at every connection, "
     "so renew it in place; give this or password_file"},
    {"folders", OptionType::StringList, R"(["INBOX"])", false, false,
     "Folders to harvest: names as the server shows them (\"INBOX\", \"INBOX.Avisos\", \"Enviados\") or special-use "
     "attributes (\"\\\\Sent\"); a well-known name (Sent, Drafts, Archive, Junk, Trash) that the server does not "
     "have finds the folder it marks with that attribute"},
    {"ca_file", OptionType::Path, "", false, false,
     "PEM file of the CA that issued the server's certificate (or that certificate itself), trusted instead of "
     "the system's CAs; for servers with a private CA"},
    {"timeout", OptionType::Duration, "60s", false, false,
     "How long the server may stay silent (when connecting or during a command) before the pass gives up; "
     "the next pass resumes where it stopped"},
    {"idle", OptionType::Boolean, "true", false, false,
     "Wait for new mail with IMAP IDLE on the first folder when the server offers it (other folders are read "
     "every interval); false: poll every interval only"},
};

std::vector<OptionSpec> build_table() {
  std::vector<OptionSpec> all(std::begin(kOwnOptions), std::end(kOwnOptions));
  for (const OptionSpec& s : sdk::mail::shared_options()) all.push_back(s);
  return all;
}

std::string optional_path(const sdk::OptionValues& o, const char* name) {
  return o.has(name) ? o.str(name) : std::string();
}

}  // namespace

std::span<const sdk::OptionSpec> option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

ImapSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  ImapSettings s;
  s.instance = config.instance;
  s.options = o;
  s.work_dir = config.work_dir;
  const std::string where = "source '" + s.instance + "': ";
  s.url = o.str("url");
  try {
    s.server = parse_server_url(s.url);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + "option " + e.what());
  }
  s.username = o.str("username");
  if (s.username.empty()) throw std::invalid_argument(where + "option 'username' is empty");
  s.password_file = optional_path(o, "password_file");
  s.token_file = optional_path(o, "token_file");
  if (s.password_file.empty() == s.token_file.empty())
    throw std::invalid_argument(where + (s.password_file.empty()
                                             ? "give 'password_file' (or 'token_file' for OAuth2): the agent needs "
                                               "a secret to log in"
                                             : "give either 'password_file' or 'token_file', not both"));
  s.folders = o.list("folders");
  if (s.folders.empty())
    throw std::invalid_argument(where + "option 'folders' is empty, so nothing would be harvested: leave it out "
                                        "for [\"INBOX\"]");
  for (const auto& f : s.folders)
    if (f.empty() || f == "\\") throw std::invalid_argument(where + "option 'folders' holds an empty folder name");
  s.ca_file = optional_path(o, "ca_file");
  s.timeout = o.duration("timeout");
  if (s.timeout < std::chrono::seconds(1))
    throw std::invalid_argument(where + "option 'timeout' must be at least 1s");
  s.idle = o.boolean("idle");
  return s;
}

}  // namespace sseccoe::imap
