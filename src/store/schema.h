// The schema of Wegwijs's SQLite file, created and migrated by the service.
//
// Invariants: the schema_version table holds one row, the version of the
// schema in the file; migrations are append-only, migration N bringing
// version N-1 to N; a file with a newer version than this binary knows is
// refused. Every store that opens the file calls migrate() first.
#pragma once

#include "store/sqlite.h"

namespace wegwijs::store {

constexpr int kSchemaVersion = 3;

// Puts the file in WAL mode, giving it first, if it is new, pages of
// kPageSize bytes (a file keeps its page size once in WAL mode). Every store
// that opens the file calls this before migrate().
void use_wal(Database& db);
// A commit writes each page it changes to the WAL whole, and a stored turn
// changes a few hundred bytes at the end of each of five B-trees. Under
// bench/chat.lua at 16 connections the service wrote 14 KB per turn to the
// disk with 4 KiB pages and 7 KB with 1 KiB pages (write_bytes in
// /proc/PID/io), and its CPUs sat idle waiting on the disk less often. The
// trees are a level deeper; rows of up to about 1 KB still fit in a page.
constexpr int kPageSize = 1024;

void migrate(Database& db);  // throws SqliteError for a newer schema
int schema_version(Database& db);

}  // namespace wegwijs::store
