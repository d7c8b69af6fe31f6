#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace fraudgov::store {

// PostgreSQL over libpq: a fixed-size pool, statements prepared once per connection, every
// value a bound parameter, session time zone UTC.
Result<std::unique_ptr<Database>> openPostgres(const std::string& url, const DatabaseOptions& options);

}  // namespace fraudgov::store
