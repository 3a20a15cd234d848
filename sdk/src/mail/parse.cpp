#include "parse.hpp"
#include "rfc2047.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

#include "acuse.hpp"
#include "gmime_support.hpp"
#include "ids.hpp"
#include "text.hpp"
#include "tnef.hpp"

namespace sseccoe::sdk::mail::detail {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The first header of that name, raw (still RFC 2047-encoded), or "".
std::string raw_header(GMimeObject* obj, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  GMimeHeader* h = list != nullptr ? g_mime_header_list_get_header(list, name) : nullptr;
  if (h == nullptr) return {};
  const char* raw = g_mime_header_get_raw_value(h);
  return raw != nullptr ? std::string(raw) : std::string();
}

std::string addresses(InternetAddressList* list) {
  if (list == nullptr || internet_address_list_length(list) == 0) return {};
  return ensure_utf8(take(internet_address_list_to_string(list, nullptr, FALSE)));
}

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// An address header: GMime's rendering, unless its raw value has encoded
// words, which GMime 3.2.13 may cut (rfc2047.hpp): then the raw value,
// decoded by us and unfolded.
std::string address_header(GMimeObject* obj, const char* name, InternetAddressList* list) {
  const std::string raw = raw_header(obj, name);
  if (has_encoded_word(raw)) return trimmed(decode_rfc2047(raw));
  return addresses(list);
}

// A part's file name: GMime's (right for RFC 2231 names), unless the name
// was given as RFC 2047 encoded words in a plain parameter, which GMime
// 3.2.13 may cut: then decoded by us.
std::string decoded_file_name(GMimeObject* part, const char* gmime_name) {
  for (const auto& [header, param] : {std::pair{"Content-Disposition", "filename"}, std::pair{"Content-Type", "name"}}) {
    const std::string value = plain_parameter(raw_header(part, header), param);
    if (has_encoded_word(value)) return decode_rfc2047(value);
  }
  return gmime_name;
}

bool looks_like_mail(GMimeObject* msg) {
  static const char* kMailHeaders[] = {"From",        "Sender",   "To",       "Cc",          "Subject",
                                       "Date",        "Message-ID", "MIME-Version", "Received", "Return-Path",
                                       "In-Reply-To", "References", "Delivered-To"};
  GMimeHeaderList* list = g_mime_object_get_header_list(msg);
  if (list == nullptr) return false;
  return std::any_of(std::begin(kMailHeaders), std::end(kMailHeaders),
                     [&](const char* h) { return g_mime_header_list_contains(list, h); });
}

void read_date(GMimeMessage* msg, ParsedMessage& out) {
  Headers& h = out.headers;
  GDateTime* dt = g_mime_message_get_date(msg);  // owned by the message
  if (dt == nullptr) return;
  const int year = g_date_time_get_year(dt);
  if (year < 1971 || year > 9999) return;  // an unparsable Date reads as the epoch
  GDateTime* utc = g_date_time_to_utc(dt);
  if (utc == nullptr) return;
  h.date = take(g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ"));
  g_date_time_unref(utc);
  h.date_local_day = take(g_date_time_format(dt, "%Y-%m-%d"));
  const auto offset_minutes = static_cast<int>(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
  out.date_display = spanish_date(year, g_date_time_get_month(dt), g_date_time_get_day_of_month(dt),
                                  g_date_time_get_hour(dt), g_date_time_get_minute(dt), offset_minutes);
}

struct Walker {
  ParsedMessage& out;
  const std::string& path;         // the message file, for unpacking a winmail.dat
  const std::string& scratch_dir;  // where its decoded copy goes
  std::set<std::string> names;
  bool too_many = false;
  std::size_t tnef_unpacked = 0;

  std::string unique_name(std::string name) {
    if (names.insert(name).second) return name;
    const std::string stem = stem_of(name);
    const std::string ext = name.substr(stem.size());
    for (int n = 2;; ++n) {
      std::string candidate = stem + " (" + std::to_string(n) + ")" + ext;
      if (names.insert(candidate).second) return candidate;
    }
  }

  static PartLocation locate(GMimePart* part, const std::string& type) {
    PartLocation loc;
    loc.encoding = static_cast<int>(g_mime_part_get_content_encoding(part));
    const char* cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    if (cs != nullptr) loc.charset = cs;
    loc.html = type == "text/html";
    GMimeDataWrapper* content = g_mime_part_get_content(part);
    if (content == nullptr) return loc;  // a part without a body: empty
    GMimeStream* s = g_mime_data_wrapper_get_stream(content);
    if (s == nullptr) return loc;
    // Never an empty attachment by mistake: without offsets into the file
    // the part cannot be streamed, and the message is refused as a whole.
    if (!GMIME_IS_STREAM_FS(s))
      throw MessageError("GMime kept a part of it in memory instead of as a range of the file (" +
                         std::string(G_OBJECT_TYPE_NAME(s)) + "): it cannot be streamed");
    // With a seekable file stream and persist_stream (the default), every
    // body is a bounded view of the file: its bounds are the part's bytes.
    g_mime_stream_reset(s);
    loc.begin = g_mime_stream_tell(s);
    const gint64 len = g_mime_stream_length(s);
    loc.end = len > 0 ? loc.begin + len : loc.begin;
    return loc;
  }

  void leaf(GMimePart* part, bool embedded) {
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    const std::string type = ct != nullptr ? lower(take(g_mime_content_type_get_mime_type(ct))) : "text/plain";
    const char* disposition = g_mime_object_get_disposition(GMIME_OBJECT(part));
    const char* filename = g_mime_part_get_filename(part);
    const bool is_text = type.rfind("text/", 0) == 0;
    const bool has_cid = g_mime_object_get_content_id(GMIME_OBJECT(part)) != nullptr;
    const bool attachment = (disposition != nullptr && g_ascii_strcasecmp(disposition, "attachment") == 0) ||
                            (filename != nullptr && *filename != '\0') || (!is_text && !has_cid);
    if (!attachment) {
      // The acuse shows the sender's own text: the first plain part, else
      // the first HTML one; never a forwarded message's.
      if (!embedded && (type == "text/plain" || type == "text/html") &&
          (!out.body || (out.body->html && type == "text/plain")))
        out.body = locate(part, type);
      return;
    }
    if (out.attachments.size() >= kMaxAttachments) {
      too_many = true;
      return;
    }
    Attachment a;
    a.media_type = type;
    a.name = filename != nullptr ? safe_file_name(decoded_file_name(GMIME_OBJECT(part), filename)) : std::string();
    PartLocation loc = locate(part, type);
    if (is_tnef(type, a.name) && unpacked(a.name.empty() ? "winmail.dat" : a.name, loc)) return;
    if (a.name.empty()) a.name = fallback_name(out.attachments.size() + 1, type);
    add(std::move(a), std::move(loc));
  }

  void add(Attachment a, PartLocation loc) {
    if (out.attachments.size() >= kMaxAttachments) {
      too_many = true;
      return;
    }
    a.name = unique_name(a.name);
    a.encoded_size = static_cast<std::uint64_t>(loc.end - loc.begin);
    out.headers.attachments.push_back(std::move(a));
    out.attachments.push_back(std::move(loc));
  }

  // A winmail.dat: the attachments inside it take its place, as if they had
  // been parts of the message. False when it is kept as it is (the defect
  // says why: the message is still harvested, its raw copy holds it all).
  bool unpacked(const std::string& name, const PartLocation& loc) {
    const std::string which = std::string(kTnefDefectPrefix) + " '" + name + "'";
    // Each unpacked one keeps a descriptor open as long as the items: a
    // message with hundreds (never a real one) must not exhaust them.
    if (tnef_unpacked >= kMaxTnefPerMessage) {
      out.headers.defects.push_back(which + " was not unpacked and is kept as one attachment: the message has more than " +
                                    std::to_string(kMaxTnefPerMessage) + " of them");
      return false;
    }
    TnefContents t = unpack_tnef(path, loc, scratch_dir);
    if (!t.problem.empty()) {
      out.headers.defects.push_back(which + " was not unpacked and is kept as one attachment: " + t.problem);
      return false;
    }
    for (const auto& note : t.notes) out.headers.defects.push_back(which + ": " + note);
    ++tnef_unpacked;
    for (auto& x : t.attachments) {
      Attachment a;
      a.media_type = x.media_type;
      a.name = safe_file_name(x.name);
      if (a.name.empty()) a.name = fallback_name(out.attachments.size() + 1, x.media_type);
      add(std::move(a), std::move(x.location));
    }
    return true;
  }

  void walk(GMimeObject* obj, bool embedded, int depth) {
    if (obj == nullptr || too_many) return;
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      const int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i), embedded, depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      // A forwarded message: its attachments are this message's too (a
      // certificate forwarded as .eml), its text is not the body.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner != nullptr) walk(g_mime_message_get_mime_part(inner), true, depth + 1);
    } else if (GMIME_IS_PART(obj)) {
      leaf(GMIME_PART(obj), embedded);
    }
  }
};

}  // namespace

std::string header_block_message_id(const std::string& path) {
  ensure_gmime();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + path + " (" + std::strerror(errno) + ")");
  std::string block;
  std::vector<char> buf(64 * 1024);
  // Up to the first empty line: that is all GMime needs for the headers.
  while (block.size() < kHeaderScanLimit) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw std::runtime_error("cannot read " + path + " (" + std::strerror(e) + ")");
    }
    if (n == 0) break;
    const std::size_t from = block.size() > 3 ? block.size() - 3 : 0;
    block.append(buf.data(), static_cast<std::size_t>(n));
    const auto lf = block.find("\n\n", from);
    const auto crlf = block.find("\r\n\r\n", from);
    const auto end = std::min(lf, crlf);
    if (end != std::string::npos) {
      block.resize(end + (end == lf ? 2 : 4));
      break;
    }
  }
  ::close(fd);
  if (block.size() > kHeaderScanLimit) block.resize(kHeaderScanLimit);
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(block.data(), block.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  ParserOptions options = make_parser_options(nullptr);
  GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!msg) return {};
  return normalize_message_id(raw_header(GMIME_OBJECT(msg.get()), "Message-ID"));
}

ParsedMessage parse_message(const std::string& path, const std::string& scratch_dir) {
  ensure_gmime();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open the spooled message " + path + " (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw std::runtime_error("cannot stat the spooled message " + path + " (" + std::strerror(e) + ")");
  }
  if (st.st_size == 0) {
    ::close(fd);
    throw MessageError("the message is empty (0 bytes)");
  }
  GPtr<GMimeStream> stream(g_mime_stream_fs_new(fd));  // owns fd from here on
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_persist_stream(parser.get(), TRUE);

  ParsedMessage out;
  out.size = static_cast<std::uint64_t>(st.st_size);
  ParserOptions options = make_parser_options(&out.headers.defects);
  GPtr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!msg) throw MessageError("it is not a mail message: GMime found no header block");
  GMimeObject* obj = GMIME_OBJECT(msg.get());
  if (!looks_like_mail(obj))
    throw MessageError("it is not a mail message: it has none of the From, To, Subject, Date, Message-ID or "
                       "Received headers");

  Headers& h = out.headers;
  h.message_id = normalize_message_id(raw_header(obj, "Message-ID"));
  h.from = address_header(obj, "From", g_mime_message_get_from(msg.get()));
  h.to = address_header(obj, "To", g_mime_message_get_to(msg.get()));
  h.cc = address_header(obj, "Cc", g_mime_message_get_cc(msg.get()));
  if (const std::string raw = raw_header(obj, "Subject"); has_encoded_word(raw))
    h.subject = trimmed(decode_rfc2047(raw));  // GMime 3.2.13 cuts some (rfc2047.hpp)
  else if (const char* s = g_mime_message_get_subject(msg.get()))
    h.subject = ensure_utf8(s);
  read_date(msg.get(), out);
  const auto irt = message_ids(raw_header(obj, "In-Reply-To"));
  const auto refs = message_ids(raw_header(obj, "References"));
  h.in_reply_to = join(irt, " ");
  h.references = join(refs, " ");
  h.list_id = normalize_message_id(raw_header(obj, "List-Id"));
  h.thread = !refs.empty() ? refs.front() : !irt.empty() ? irt.front() : h.message_id;

  Walker walker{out, path, scratch_dir, {}, false, 0};
  walker.walk(g_mime_message_get_mime_part(msg.get()), false, 0);
  if (walker.too_many)
    throw MessageError("the message has more than " + std::to_string(kMaxAttachments) +
                       " attachments, more than any real one: it is refused as hostile");
  return out;
}

}  // namespace sseccoe::sdk::mail::detail
