// Online backup; see backup.h.
#include "store/backup.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

#include "store/sqlite.h"

namespace wegwijs::store {
namespace {

// An sqlite3_backup handle, finished on every way out.
class BackupHandle {
  public:
    BackupHandle(Database& to, Database& from)
        : handle_(sqlite3_backup_init(to.handle(), "main", from.handle(), "main")) {
        if (!handle_) throw SqliteError(std::string("backup: ") + sqlite3_errmsg(to.handle()));
    }
    ~BackupHandle() {
        if (handle_) sqlite3_backup_finish(handle_);
    }
    BackupHandle(const BackupHandle&) = delete;
    BackupHandle& operator=(const BackupHandle&) = delete;

    int copy_all() {
        const int rc = sqlite3_backup_step(handle_, -1);
        if (rc != SQLITE_DONE) throw SqliteError(std::string("backup: ") + sqlite3_errstr(rc));
        const int pages = sqlite3_backup_pagecount(handle_);
        const int finished = sqlite3_backup_finish(handle_);
        handle_ = nullptr;
        if (finished != SQLITE_OK)
            throw SqliteError(std::string("backup: ") + sqlite3_errstr(finished));
        return pages;
    }

  private:
    sqlite3_backup* handle_;
};

}  // namespace

int backup(const std::string& source, const std::string& target) {
    const std::string partial = target + ".partial";
    std::filesystem::remove(partial);
    int pages = 0;
    {
        Database from(source);
        Database to(partial);
        to.exec("PRAGMA synchronous=FULL");
        pages = BackupHandle(to, from).copy_all();
        // The copy keeps the source's WAL mode; make it one self-contained file.
        to.exec("PRAGMA journal_mode=DELETE");
    }
    std::filesystem::rename(partial, target);
    return pages;
}

}  // namespace wegwijs::store
