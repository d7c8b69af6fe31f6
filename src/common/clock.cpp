#include "common/clock.h"

namespace fraudgov {

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

}  // namespace fraudgov
