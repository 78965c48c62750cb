// A SQLite VFS that writes each commit's WAL frames with one system call.
//
// SQLite appends a commit to the WAL as two writes per page (a 24-byte frame
// header, then the page): about 18 pwrite calls for a commit of a few turns,
// each a trip into the kernel. This VFS passes everything to the platform's
// default VFS, except that writes to a WAL file are gathered in memory while
// they run on from each other, and written as one when the frame that marks
// the commit is complete.
//
// Guarantee: SQLite sees the same file as without it. Every gathered byte is
// written before the write of the commit frame returns (so before the commit
// is published in the wal-index, where readers look), and before any other
// call on that file (read, size, sync, truncate, close, file control); a
// failed write is reported by the call that wrote it, as SQLite expects.
#pragma once

#include <cstdint>

namespace wegwijs::store {

// The VFS's name; registered (not as the default) on first call. Throws
// SqliteError if SQLite refuses it: a Database then fails to open rather than
// run without it unnoticed.
const char* wal_vfs_name();

struct WalVfsStats {
    std::uint64_t writes = 0;   // WAL writes SQLite asked for
    std::uint64_t flushes = 0;  // system calls that wrote them
    std::uint64_t syncs = 0;    // syncs of any file (database, WAL, journal)
};
WalVfsStats wal_vfs_stats();  // since the process started

}  // namespace wegwijs::store
