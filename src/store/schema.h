// The schema of Wegwijs's SQLite file, created and migrated by the service.
//
// Invariants: the schema_version table holds one row, the version of the
// schema in the file; migrations are append-only, migration N bringing
// version N-1 to N; a file with a newer version than this binary knows is
// refused. Every store that opens the file calls migrate() first.
#pragma once

#include "store/sqlite.h"

namespace wegwijs::store {

constexpr int kSchemaVersion = 7;

// Puts the file in WAL mode, giving it first, if it is new, pages of
// kPageSize bytes (a file keeps its page size once in WAL mode). Every store
// that opens the file calls this before migrate().
void use_wal(Database& db);
// SQLite's default page size. (An earlier version used 1 KiB pages to halve
// the bytes each group commit wrote; with one commit per turn and SQLite's
// own checkpoints, 4 KiB pages measured faster: fewer, larger checkpoints,
// p50 of a turn at one connection 214 against 325 us, bench/ in #18's note.)
constexpr int kPageSize = 4096;

void migrate(Database& db);  // throws SqliteError for a newer schema
int schema_version(Database& db);

}  // namespace wegwijs::store
