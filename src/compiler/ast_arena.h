#pragma once
// The memory a compiled AST is built in. A 10,000-rule AST is a few hundred thousand small JSON
// nodes that are created together and dropped together; taking them from the general-purpose
// heap one by one cost more than validating the trees. The arena hands out memory by bumping a
// pointer and returns it all at once when the last value using it is gone.
//
// A copy of a Boost.JSON value shares its source's memory resource, so two threads copying one
// AST allocate from the same arena at once: the arena takes a lock per allocation (uncontended
// in practice). Memory freed by erasing parts of an arena-backed AST is only reclaimed with the
// whole arena.

#include <boost/json/storage_ptr.hpp>

namespace fraudgov::compiler {

// A new arena, owned by the values that use it.
boost::json::storage_ptr makeAstArena();

}  // namespace fraudgov::compiler
