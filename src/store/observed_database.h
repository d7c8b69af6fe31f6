#pragma once
// A Database that reports what its callers' work found wrong with stored rows: every entry point
// forwards to the wrapped database, and an undecodable row (a kDataLoss error from RowDecoder,
// row_helpers.h) is reported once per failed call with the table it came from. The runtime wraps
// its database in one and counts the reports in its own metrics registry
// (fraudgov_store_corrupt_rows_total{table}), so the store needs no metrics of its own.

#include <functional>
#include <memory>
#include <string_view>

#include "store/forwarding_database.h"

namespace fraudgov::store {

class ObservedDatabase final : public ForwardingDatabase {
 public:
  // table: the table named by the corrupt-row error, or "unknown" when it names none.
  using CorruptRowObserver = std::function<void(std::string_view table)>;

  ObservedDatabase(std::unique_ptr<Database> inner, CorruptRowObserver on_corrupt_row)
      : ForwardingDatabase(std::move(inner)), on_corrupt_row_(std::move(on_corrupt_row)) {}

  Status write(const std::function<Status(SqlSession&)>& work) override { return observe(ForwardingDatabase::write(work)); }
  Status read(const std::function<Status(SqlSession&)>& work) override { return observe(ForwardingDatabase::read(work)); }
  Status withSession(const std::function<Status(SqlSession&)>& work) override {
    return observe(ForwardingDatabase::withSession(work));
  }

 private:
  Status observe(Status status) const;

  CorruptRowObserver on_corrupt_row_;
};

}  // namespace fraudgov::store
