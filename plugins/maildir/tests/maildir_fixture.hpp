// A Maildir++ tree under a temporary directory, written the way delivery
// agents write it (tmp/ then rename), for the maildir plugin's tests.
#pragma once

#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "maildir_options.hpp"
#include "maildir_plugin.hpp"
#include "messages.hpp"
#include "test_support.hpp"

namespace sseccoe::mailtest {

class MaildirTree {
 public:
  MaildirTree() { folder("INBOX"); }

  const std::string& root() const { return root_.path(); }
  std::string work_dir() const { return work_.path(); }

  // The directory of a folder ("INBOX" is the root), created with cur/new/tmp.
  std::string folder(const std::string& name) const {
    const std::string dir = name == "INBOX" ? root_.path() : root_.path() + "/." + name;
    for (const char* sub : {"cur", "new", "tmp"}) std::filesystem::create_directories(dir + "/" + sub);
    return dir;
  }

  // Delivers a message; returns its path. `info` ":2,S" puts it in cur/.
  std::string deliver(const std::string& folder_name, const std::string& raw, const std::string& info = ":2,S",
                      std::time_t mtime = 1621015200) {
    const std::string dir = folder(folder_name);
    const std::string unique = std::to_string(mtime) + ".M" + std::to_string(++seq_) + "P42.test,S=" +
                               std::to_string(raw.size());
    const std::string tmp = dir + "/tmp/" + unique;
    std::ofstream(tmp, std::ios::binary) << raw;
    const utimbuf times{mtime, mtime};
    ::utime(tmp.c_str(), &times);
    const std::string final_path = dir + (info.empty() ? "/new/" : "/cur/") + unique + info;
    std::filesystem::rename(tmp, final_path);
    return final_path;
  }

  static std::string rename_flags(const std::string& path, const std::string& info) {
    const auto slash = path.rfind('/');
    const std::string name = path.substr(slash + 1);
    const std::string dir = path.substr(0, slash);
    const std::string target = dir.substr(0, dir.rfind('/')) + "/cur/" + name.substr(0, name.find(':')) + info;
    std::filesystem::rename(path, target);
    return target;
  }

  sdk::SourceConfig config(const std::string& instance = "buzon") const {
    sdk::SourceConfig c;
    c.instance = instance;
    c.institution = "INM";
    c.options = options_with_defaults(maildir::option_table());
    c.options.set("path", root());
    c.options.set("watch", false);
    c.work_dir = work_dir();
    return c;
  }

 private:
  TempDir root_;
  TempDir work_;
  int seq_ = 0;
};

inline std::string certificate_mail(int n, const std::string& holder, const std::string& date = "Fri, 14 May 2021 09:30:00 -0500") {
  return message({"From: SICAVISP <constancias@sicavisp.gob.mx>", "To: " + holder + " <s" + std::to_string(n) + "@inm.gob.mx>",
                  "Subject: Constancia " + std::to_string(n), "Date: " + date,
                  "Message-ID: <constancia." + std::to_string(n) + "@sicavisp.gob.mx>"},
                 {text_part("Adjuntamos su constancia."),
                  pdf_part("; filename=\"Constancia " + holder + ".pdf\"", pdf_bytes("c" + std::to_string(n)))});
}

inline std::string dispatch_mail(int n) {
  return message({"From: Comite <comite@inm.gob.mx>", "To: UEPPCI <ueppci@funcionpublica.gob.mx>",
                  "Subject: Buena practica " + std::to_string(n), "Date: Thu, 10 Jun 2021 13:15:00 -0500",
                  "Message-ID: <envio." + std::to_string(n) + "@inm.gob.mx>"},
                 {text_part("Informamos la buena practica."), pdf_part("; filename=\"informe.pdf\"", pdf_bytes("bp"))});
}

}  // namespace sseccoe::mailtest
