#include "http/pipeline.h"

namespace fraudgov::http {

Response Next::operator()(Request& request) const {
  if (index_ == pipeline_->middleware_.size()) return (*terminal_)(request);
  return pipeline_->middleware_[index_](request, Next(*pipeline_, index_ + 1, *terminal_));
}

}  // namespace fraudgov::http
