#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace fraudgov::store {

// SQLite in WAL mode: one file, concurrent readers, one writer at a time.
Result<std::unique_ptr<Database>> openSqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace fraudgov::store
