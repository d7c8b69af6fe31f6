#include "store/observed_database.h"

#include "store/row_helpers.h"

namespace fraudgov::store {

Status ObservedDatabase::observe(Status status) const {
  if (!status && status.error().code == ErrorCode::kDataLoss && on_corrupt_row_) {
    on_corrupt_row_(RowDecoder::corruptTable(status.error()).value_or("unknown"));
  }
  return status;
}

}  // namespace fraudgov::store
