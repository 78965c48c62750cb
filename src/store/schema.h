// The schema of Wegwijs's SQLite file, created and migrated by the service.
//
// Invariants: the schema_version table holds one row, the version of the
// schema in the file; migrations are append-only, migration N bringing
// version N-1 to N; a file with a newer version than this binary knows is
// refused. Every store that opens the file calls migrate() first.
#pragma once

#include "store/sqlite.h"

namespace wegwijs::store {

constexpr int kSchemaVersion = 2;

void migrate(Database& db);  // throws SqliteError for a newer schema
int schema_version(Database& db);

}  // namespace wegwijs::store
