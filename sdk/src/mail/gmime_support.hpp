// GMime plumbing shared by the mail library: one-time initialisation,
// owning pointers for GObjects, and the parser options every mail source
// reads with (8-bit header bytes as UTF-8, else Windows-1252).
#pragma once

#include <gmime/gmime.h>

#include <memory>
#include <string>

namespace sseccoe::sdk::mail::detail {

// Calls g_mime_init() once per process (thread-safe).
void ensure_gmime();

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GString = std::unique_ptr<char, GFree>;

// A copy of a g_malloc'ed string (freed here); empty for nullptr.
std::string take(char* s);

// Parser options: loose RFC 2047/2231 and addresses, fallback charsets
// UTF-8 then Windows-1252, and a warning callback that appends a readable
// phrase to `defects` (a std::vector<std::string>*; may be nullptr).
// The caller frees them with g_mime_parser_options_free.
struct ParserOptionsFree {
  void operator()(GMimeParserOptions* o) const { g_mime_parser_options_free(o); }
};
using ParserOptions = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;
ParserOptions make_parser_options(void* defects);

}  // namespace sseccoe::sdk::mail::detail
