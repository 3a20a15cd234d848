// sseccoe-reader: parse one untrusted document and print what the agent
// needs as one JSON object on stdout. It runs as a child of the agent under
// CPU, memory, output and wall-time limits (core/extract/reader.cpp), so a
// parser bug in a hostile file costs one item, not the daemon.
//
//   sseccoe-reader pdf FILE [--max-pages N]
//       {"pages": ["text", ...], "page_count": N, "encrypted": false}
//   sseccoe-reader image FILE
//       {"width": W, "height": H, "format": "png", "datetime_original": "2021-05-14T10:00:00"}
//
// Exit status 0 on success. 2 when the document cannot be read, with
// {"error": "what, in words fit for the quarantine", "kind": "..."} on
// stdout (kind: not_pdf, damaged, password, unsupported, io, usage).
// 3 when memory ran out (RLIMIT_AS), with kind "memory": the agent words
// that as its memory limit. Nothing but that JSON is written to stdout:
// poppler's own messages are silenced.
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "image.hpp"

namespace {

constexpr int kExitFailed = 2;
constexpr int kExitMemory = 3;

struct Failure : std::runtime_error {
  Failure(std::string kind, const std::string& what) : std::runtime_error(what), kind(std::move(kind)) {}
  std::string kind;
};

// Invalid UTF-8 (poppler should not produce any, but the text comes from a
// hostile file) is replaced, not a reason to lose the whole document.
void print(const nlohmann::json& j) {
  const std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fputc('\n', stdout);
}

// poppler reports damage through this callback (and to stderr without one);
// the agent learns of damage from our exit status, and stdout must stay JSON.
void quiet(const std::string&, void*) {}

bool looks_like_pdf(const std::string& path) {
  // poppler accepts the "%PDF-" header anywhere in the first 1024 bytes, as
  // Acrobat does; without it, this is some other file named .pdf.
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) throw Failure("io", std::string("the file cannot be opened: ") + std::strerror(errno));
  char buf[1024];
  const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
  return std::string_view(buf, n).find("%PDF-") != std::string_view::npos;
}

nlohmann::json pdf(const std::string& path, int max_pages) {
  if (!looks_like_pdf(path)) throw Failure("not_pdf", "the file is not a PDF");
  poppler::set_debug_error_function(quiet, nullptr);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
  if (!doc) throw Failure("damaged", "the PDF is damaged (poppler cannot open it)");
  // A document encrypted with an empty user password opens (locked is
  // false); one that needs a real password stays locked.
  if (doc->is_locked()) throw Failure("password", "the PDF needs a password");
  const int count = doc->pages();
  nlohmann::json pages = nlohmann::json::array();
  for (int i = 0; i < count && i < max_pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (!page) {
      pages.push_back("");  // one unreadable page does not hide the others
      continue;
    }
    // Reading order (what pdftotext prints by default): poppler groups the
    // words into blocks and columns, so a two-column certificate comes out
    // column by column. physical_layout would interleave the columns line
    // by line, and raw_order_layout follows the content stream, which a
    // generator may write in any order.
    const poppler::byte_array utf8 =
        page->text(page->page_rect(), poppler::page::non_raw_non_physical_layout).to_utf8();
    std::string text(utf8.begin(), utf8.end());
    // poppler ends each page with a form feed, a page separator for a
    // single stream of text; here each page is its own string already.
    while (!text.empty() && (text.back() == '\f' || text.back() == '\n')) text.pop_back();
    if (!text.empty()) text += '\n';
    pages.push_back(std::move(text));
  }
  return {{"pages", std::move(pages)}, {"page_count", count}, {"encrypted", doc->is_encrypted()}};
}

nlohmann::json image(const std::string& path) {
  try {
    const sseccoe::reader::Image img = sseccoe::reader::read_image(path);
    return {{"width", img.width},
            {"height", img.height},
            {"format", img.format},
            {"datetime_original", img.datetime_original}};
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw Failure("unsupported", e.what());
  }
}

int usage(const char* why) {
  print({{"error", std::string("usage: ") + why +
                       " (sseccoe-reader pdf FILE [--max-pages N] | sseccoe-reader image FILE)"},
         {"kind", "usage"}});
  return kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 3) return usage("a command and a file are needed");
    const std::string command = argv[1], file = argv[2];
    nlohmann::json out;
    if (command == "pdf") {
      int max_pages = 50;
      for (int i = 3; i < argc; ++i) {
        if (std::strcmp(argv[i], "--max-pages") == 0 && i + 1 < argc) {
          char* end = nullptr;
          const long n = std::strtol(argv[++i], &end, 10);
          if (*end != '\0' || n < 0 || n > 100000) return usage("--max-pages takes a number from 0 to 100000");
          max_pages = int(n);
        } else {
          return usage("unknown option");
        }
      }
      out = pdf(file, max_pages);
    } else if (command == "image") {
      if (argc != 3) return usage("image takes no options");
      out = image(file);
    } else {
      return usage("unknown command");
    }
    print(out);
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) return kExitFailed;
    return 0;
  } catch (const std::bad_alloc&) {
    // RLIMIT_AS reached: say so without allocating (the agent words it as
    // its memory limit). poppler's own allocator aborts instead; the agent
    // recognises that from the "Out of memory" it prints on stderr.
    std::fputs("{\"error\": \"out of memory\", \"kind\": \"memory\"}\n", stdout);
    std::fflush(stdout);
    return kExitMemory;
  } catch (const Failure& e) {
    print({{"error", e.what()}, {"kind", e.kind}});
    return kExitFailed;
  } catch (const std::exception& e) {
    print({{"error", std::string("the document cannot be read: ") + e.what()}, {"kind", "damaged"}});
    return kExitFailed;
  }
}
