#include "store/database.h"

#include "store/postgres/postgres_database.h"
#include "store/sqlite/sqlite_database.h"

namespace fraudgov::store {

Result<std::unique_ptr<Database>> openDatabase(const std::string& url, const DatabaseOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://path
    if (path.empty()) return fail(Error::validation("DATABASE_URL sqlite: needs a file path"));
    return openSqlite(path, options);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return openPostgres(url, options);
  }
  return fail(Error::validation("DATABASE_URL must start with sqlite: or postgresql://"));
}

}  // namespace fraudgov::store
