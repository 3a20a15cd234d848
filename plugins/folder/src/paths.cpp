#include "paths.hpp"

#include <cerrno>

namespace sseccoe::folder {

bool is_transient(const std::error_code& ec) {
  switch (ec.value()) {
    case ENOENT:   // vanished
    case ESTALE:   // NFS: the file was replaced on the server
    case EAGAIN:
    case EINTR:
    case EBUSY:
    case ETIMEDOUT:
    case EHOSTDOWN:
    case EHOSTUNREACH:
    case ENETDOWN:
    case ENETUNREACH:
    case ENETRESET:
    case ECONNRESET:
    case ECONNABORTED:
    case ENOTCONN:
    case EMFILE:   // the daemon's limits, not the file's fault
    case ENFILE:
    case ENOMEM:
      return true;
    default:
      return false;
  }
}

}  // namespace sseccoe::folder
