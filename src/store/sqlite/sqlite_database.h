#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace fraudgov::store {

// How every pooled connection syncs on commit. kFull is the only setting the service uses
// (SPEC §3 invariant 11: in WAL mode NORMAL acknowledges commits that a power loss or OS crash
// can still take back). kNormal exists so bench/ can price FULL against it in one run.
enum class SqliteSync { kFull, kNormal };

// SQLite in WAL mode: one file, concurrent readers, one writer at a time.
Result<std::unique_ptr<Database>> openSqlite(const std::string& path, const DatabaseOptions& options,
                                             SqliteSync sync = SqliteSync::kFull);

}  // namespace fraudgov::store
