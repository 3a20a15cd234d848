// The program catalogs the registry validates records against and serves at
// GET /programs/{program}: every *.json in the catalog directory, loaded once
// at start (restart to pick up a new catalog).
#pragma once

#include <map>
#include <string>

#include "model/catalog.hpp"

namespace sseccoe::registry {

class Catalogs {
 public:
  // Throws std::runtime_error naming the directory or the file at fault
  // (unreadable, malformed, two files for one program).
  static Catalogs load_dir(const std::string& dir);

  const model::Catalog* find(const std::string& program) const;
  const std::map<std::string, model::Catalog>& all() const { return by_program_; }

 private:
  std::map<std::string, model::Catalog> by_program_;
};

}  // namespace sseccoe::registry
