// Content-addressed file store: blobs/ab/cdef... named by SHA-256. A blob is
// written to a temporary file while hashing, fsynced, then renamed into
// place and its directory fsynced, so a crash leaves either nothing or a
// whole, correct blob. Memory does not depend on blob size.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace sseccoe::store {

struct BlobInfo {
  std::string digest;  // hex SHA-256
  std::uint64_t size = 0;
  std::string media_type;           // what the content is (libmagic), see choose_media_type
  std::string declared_media_type;  // what the source said, "" when it said nothing
};

// The media type a stored file gets: the detected one, unless detection
// found nothing more precise than what the source declared.
std::string choose_media_type(const std::string& declared, const std::string& detected);

class BlobStore {
 public:
  explicit BlobStore(std::string root);  // creates root/ and root/tmp/

  // Streams `in` to its end into the store. The media type is detected
  // from the first bytes with libmagic; `media_type` (what the source
  // declared) is kept where detection says nothing more precise. Exceptions thrown by the stream
  // propagate after the temporary file is removed.
  BlobInfo put(std::istream& in, const std::string& media_type = {});

  std::string path(const std::string& digest) const;
  bool exists(const std::string& digest) const;

  // Removes temporary files left by a crash and blobs no record refers to.
  // Returns how many blobs it removed.
  std::size_t collect_garbage(const std::function<bool(const std::string& digest)>& referenced);

  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

}  // namespace sseccoe::store
