#include "item_builder.hpp"

#include "file_stream.hpp"
#include "natural_key.hpp"
#include "time_format.hpp"
#include "sdk_text.hpp"

namespace sseccoe::folder {

std::string file_version(const FileStat& st, bool track_inode) {
  std::string v = std::to_string(st.size) + ":" + std::to_string(st.mtime_ns);
  if (track_inode) v += ":" + std::to_string(st.ino);
  return v;
}

sdk::Item make_item(const FoundFile& file, std::string version, std::shared_ptr<Env> env, const std::string& root,
                    bool track_inode) {
  sdk::Item item;
  item.natural_key = file.key;
  item.version = std::move(version);

  const std::string name = display_name(file.raw_name);
  const std::size_t dot = name.rfind('.');
  const bool has_ext = dot != std::string::npos && dot != 0;
  const std::size_t slash = file.key.rfind('/');
  const std::string dir_key = slash == std::string::npos ? std::string() : file.key.substr(0, slash);
  const std::optional<std::string> dir_raw = decode_key(dir_key);  // always decodes: we made the key

  auto& m = item.metadata;
  m["path"] = file.key;
  m["name"] = name;
  m["stem"] = has_ext ? name.substr(0, dot) : name;
  m["ext"] = has_ext ? utf8::lower(name.substr(dot + 1)) : std::string();
  m["dir"] = dir_raw ? display_name(*dir_raw) : dir_key;
  m["size"] = std::to_string(file.stat.size);
  m["mtime"] = rfc3339_utc(file.stat.mtime_ns);

  item.occurred_on = local_date(file.stat.mtime_ns);
  item.occurred_on_from = "mtime";
  item.locator = file_locator(file.walk_path);

  StreamExpectation expect{file.stat, track_inode, root};
  sdk::Content content;
  content.name = name;
  content.size_hint = file.stat.size;
  content.open = [env = std::move(env), path = file.open_path, expect = std::move(expect)] {
    return open_file_stream(*env, path, expect);
  };
  item.contents.push_back(std::move(content));
  return item;
}

}  // namespace sseccoe::folder
