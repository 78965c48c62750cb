// The WAL-gathering VFS of wal_vfs.h: a shim over the default VFS.
//
// Invariants, per WAL file (one connection uses a file at a time):
// - `pending` holds bytes not yet written, for the file range starting at
//   `pending_at`; it is written before any write that does not continue it,
//   and before any other call reaches the file.
// - `commit_end`, when set, is where the frame that marks a commit ends; once
//   `pending` reaches it, it is written before xWrite returns.
// - Only the shapes SQLite writes a WAL in are gathered: the 32-byte header at
//   offset 0, 24-byte frame headers and whole pages. Anything else is written
//   through at once, after what is pending.
// - What is pending goes out in writes of at most 64 KiB (the unix VFS takes
//   no more than 128 KiB at once): one for a commit of up to 62 pages of
//   1 KiB.
#include "store/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <string>

#include "store/sqlite.h"

namespace wegwijs::store {
namespace {

constexpr int kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;
constexpr std::size_t kMaxPending = 1 << 20;  // a transaction larger than this goes out in parts
// The unix VFS takes at most 128 KiB in one write (os_unix.c, seekAndWriteFd).
constexpr std::size_t kMaxWrite = 64 * 1024;

std::atomic<std::uint64_t> g_writes{0};
std::atomic<std::uint64_t> g_flushes{0};
std::atomic<std::uint64_t> g_syncs{0};

std::uint32_t big_endian_u32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

// The page size a WAL header records (1 stands for 65536), or 0 if none.
int page_size_of(const unsigned char* header) {
    const std::uint32_t size = big_endian_u32(header + 8);
    if (size == 1) return 65536;
    if (size < 512 || size > 65536 || (size & (size - 1)) != 0) return 0;
    return static_cast<int>(size);
}

struct File {
    sqlite3_file base;     // must be first: SQLite sees this
    sqlite3_file* real;    // the default VFS's file, stored right after this struct
    bool wal;              // a WAL file: its writes are gathered
    int page_size;         // 0 until known
    std::string* pending;  // owned; allocated for WAL files only
    sqlite3_int64 pending_at;
    sqlite3_int64 commit_end;  // 0: no commit frame pending
};

sqlite3_vfs* real_vfs() {
    static sqlite3_vfs* const vfs = sqlite3_vfs_find(nullptr);
    return vfs;
}

File* as_file(sqlite3_file* f) {
    return reinterpret_cast<File*>(f);
}

int flush(File* f) {
    if (f->pending == nullptr || f->pending->empty()) return SQLITE_OK;
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < f->pending->size() && rc == SQLITE_OK;) {
        const std::size_t n = std::min(kMaxWrite, f->pending->size() - done);
        rc = f->real->pMethods->xWrite(f->real, f->pending->data() + done, static_cast<int>(n),
                                       f->pending_at + static_cast<sqlite3_int64>(done));
        g_flushes.fetch_add(1, std::memory_order_relaxed);
        done += n;
    }
    f->pending->clear();
    f->commit_end = 0;
    return rc;
}

// The page size from the WAL header: from what is pending, else from the file.
int known_page_size(File* f) {
    if (f->page_size != 0) return f->page_size;
    unsigned char header[kWalHeaderBytes];
    if (!f->pending->empty() && f->pending_at == 0 &&
        f->pending->size() >= static_cast<std::size_t>(kWalHeaderBytes)) {
        std::memcpy(header, f->pending->data(), kWalHeaderBytes);
    } else if (f->real->pMethods->xRead(f->real, header, kWalHeaderBytes, 0) != SQLITE_OK) {
        return 0;
    }
    f->page_size = page_size_of(header);
    return f->page_size;
}

int wal_write(File* f, const void* data, int amount, sqlite3_int64 offset) {
    g_writes.fetch_add(1, std::memory_order_relaxed);
    const auto* bytes = static_cast<const unsigned char*>(data);
    const bool wal_header = offset == 0 && amount == kWalHeaderBytes;
    if (wal_header) f->page_size = page_size_of(bytes);
    const bool frame_header = amount == kFrameHeaderBytes && offset >= kWalHeaderBytes;
    const bool page = f->page_size != 0 && amount == f->page_size;
    const bool continues = f->pending_at + static_cast<sqlite3_int64>(f->pending->size()) == offset;
    if (!f->pending->empty() && !continues) {
        if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    if (!wal_header && !frame_header && !page) {
        if (const int rc = flush(f); rc != SQLITE_OK) return rc;
        g_flushes.fetch_add(1, std::memory_order_relaxed);
        return f->real->pMethods->xWrite(f->real, data, amount, offset);
    }
    if (f->pending->empty()) f->pending_at = offset;
    f->pending->append(static_cast<const char*>(data), static_cast<std::size_t>(amount));
    if (frame_header && big_endian_u32(bytes + 4) != 0) {  // the frame that commits
        const int size = known_page_size(f);
        if (size == 0) return flush(f);  // cannot tell where it ends: write now
        f->commit_end = offset + kFrameHeaderBytes + size;
    }
    const sqlite3_int64 end = f->pending_at + static_cast<sqlite3_int64>(f->pending->size());
    if ((f->commit_end != 0 && end >= f->commit_end) || f->pending->size() >= kMaxPending)
        return flush(f);
    return SQLITE_OK;
}

int x_close(sqlite3_file* file) {
    File* f = as_file(file);
    const int flushed_rc = flush(f);
    const int rc = f->real->pMethods->xClose(f->real);
    delete f->pending;
    f->pending = nullptr;
    return flushed_rc != SQLITE_OK ? flushed_rc : rc;
}

int x_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xRead(f->real, data, amount, offset);
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
    File* f = as_file(file);
    if (f->wal) return wal_write(f, data, amount, offset);
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xTruncate(f->real, size);
}

int x_sync(sqlite3_file* file, int flags) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    g_syncs.fetch_add(1, std::memory_order_relaxed);
    return f->real->pMethods->xSync(f->real, flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

int x_lock(sqlite3_file* file, int level) {
    File* f = as_file(file);
    return f->real->pMethods->xLock(f->real, level);
}

int x_unlock(sqlite3_file* file, int level) {
    File* f = as_file(file);
    return f->real->pMethods->xUnlock(f->real, level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
    File* f = as_file(file);
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

int x_sector_size(sqlite3_file* file) {
    File* f = as_file(file);
    return f->real->pMethods->xSectorSize(f->real);
}

int x_device_characteristics(sqlite3_file* file) {
    File* f = as_file(file);
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

int x_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
    File* f = as_file(file);
    return f->real->pMethods->xShmMap(f->real, region, size, extend, out);
}

int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
    File* f = as_file(file);
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

void x_shm_barrier(sqlite3_file* file) {
    File* f = as_file(file);
    f->real->pMethods->xShmBarrier(f->real);
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
    File* f = as_file(file);
    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    File* f = as_file(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
    File* f = as_file(file);
    return f->real->pMethods->xUnfetch(f->real, offset, p);
}

const sqlite3_io_methods kMethods = {
    3,  // iVersion: shared memory and memory mapping, as the unix VFS
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    sqlite3_vfs* real = real_vfs();
    File* f = as_file(file);
    std::memset(f, 0, sizeof(File));
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    const int rc = real->xOpen(real, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || f->real->pMethods == nullptr) {
        f->base.pMethods = nullptr;  // SQLite will not call xClose
        return rc;
    }
    if (f->real->pMethods->iVersion < 3) {  // a default VFS without what kMethods passes on
        f->real->pMethods->xClose(f->real);
        f->base.pMethods = nullptr;
        return SQLITE_CANTOPEN;
    }
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    if (f->wal) {
        f->pending = new (std::nothrow) std::string();
        if (f->pending == nullptr) {
            f->real->pMethods->xClose(f->real);
            f->base.pMethods = nullptr;
            return SQLITE_NOMEM;
        }
    }
    f->base.pMethods = &kMethods;
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) {
    return real_vfs()->xAccess(real_vfs(), name, flags, out);
}
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) {
    return real_vfs()->xDlOpen(real_vfs(), name);
}
void x_dl_error(sqlite3_vfs*, int n, char* out) {
    real_vfs()->xDlError(real_vfs(), n, out);
}
void (*x_dl_sym(sqlite3_vfs*, void* lib, const char* symbol))(void) {
    return real_vfs()->xDlSym(real_vfs(), lib, symbol);
}
void x_dl_close(sqlite3_vfs*, void* lib) {
    real_vfs()->xDlClose(real_vfs(), lib);
}
int x_randomness(sqlite3_vfs*, int n, char* out) {
    return real_vfs()->xRandomness(real_vfs(), n, out);
}
int x_sleep(sqlite3_vfs*, int micros) {
    return real_vfs()->xSleep(real_vfs(), micros);
}
int x_current_time(sqlite3_vfs*, double* out) {
    return real_vfs()->xCurrentTime(real_vfs(), out);
}
int x_get_last_error(sqlite3_vfs*, int n, char* out) {
    return real_vfs()->xGetLastError(real_vfs(), n, out);
}
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

sqlite3_vfs* make_vfs() {
    static sqlite3_vfs vfs{};
    sqlite3_vfs* real = real_vfs();
    if (real == nullptr)
        throw SqliteError("cannot register the WAL VFS: SQLite has no default VFS");
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
    vfs.mxPathname = real->mxPathname;
    vfs.zName = "wegwijs-wal";
    vfs.xOpen = x_open;
    vfs.xDelete = x_delete;
    vfs.xAccess = x_access;
    vfs.xFullPathname = x_full_pathname;
    vfs.xDlOpen = x_dl_open;
    vfs.xDlError = x_dl_error;
    vfs.xDlSym = x_dl_sym;
    vfs.xDlClose = x_dl_close;
    vfs.xRandomness = x_randomness;
    vfs.xSleep = x_sleep;
    vfs.xCurrentTime = x_current_time;
    vfs.xGetLastError = x_get_last_error;
    vfs.xCurrentTimeInt64 = real->iVersion >= 2 ? x_current_time_int64 : nullptr;
    return &vfs;
}

}  // namespace

const char* wal_vfs_name() {
    static std::once_flag once;
    static const char* name = nullptr;
    // A failed registration throws, and the next call tries again.
    std::call_once(once, [] {
        sqlite3_vfs* vfs = make_vfs();
        if (const int rc = sqlite3_vfs_register(vfs, 0); rc != SQLITE_OK)
            throw SqliteError(std::string("cannot register the WAL VFS: ") + sqlite3_errstr(rc));
        name = vfs->zName;
    });
    return name;
}

WalVfsStats wal_vfs_stats() {
    return {g_writes.load(std::memory_order_relaxed), g_flushes.load(std::memory_order_relaxed),
            g_syncs.load(std::memory_order_relaxed)};
}

}  // namespace wegwijs::store
