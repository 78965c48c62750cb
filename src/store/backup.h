// `wegwijs backup`: a consistent copy of the database while the service runs.
//
// Guarantees: the copy is one snapshot of the source (SQLite's online backup
// in a single step, inside one read transaction: in WAL mode that blocks no
// writer of the running service); it is written to TARGET.partial and renamed
// to TARGET only when complete and synced, so TARGET is never half a copy.
// Throws SqliteError when the source cannot be read or the target written.
#pragma once

#include <string>

namespace wegwijs::store {

// Returns the number of pages copied.
int backup(const std::string& source, const std::string& target);

}  // namespace wegwijs::store
