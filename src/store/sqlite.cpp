// The RAII layer over the SQLite C API; see sqlite.h for what it guarantees.
#include "store/sqlite.h"

namespace wegwijs::store {
namespace {
void check(sqlite3* db, int rc, const std::string& what) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        throw SqliteError(what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}
}  // namespace

bool SqliteError::storage_unavailable() const {
    switch (code) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_PROTOCOL:
            return true;
        default:
            return damaged();
    }
}

Database::Database(const std::string& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw SqliteError("cannot open " + path + ": " + msg, rc);
    }
    // SQLite opens a file it may not write read-only, silently: the first
    // write would then fail with a message that names no file.
    if (sqlite3_db_readonly(db_, "main") == 1) {
        sqlite3_close(db_);
        throw SqliteError("cannot write to " + path +
                              ": the file (or its folder) is read-only for this user or mount",
                          SQLITE_READONLY);
    }
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() {
    for (sqlite3_stmt* stmt : {begin_, commit_, rollback_}) sqlite3_finalize(stmt);
    sqlite3_close(db_);
}

void Database::run_prepared(sqlite3_stmt*& stmt, const char* sql) {
    if (stmt == nullptr) check(db_, sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr), sql);
    const int rc = sqlite3_step(stmt);
    const std::string failure = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) throw SqliteError(std::string(sql) + ": " + failure, rc);
}

void Database::begin() {
    run_prepared(begin_, "BEGIN IMMEDIATE");
}

void Database::commit() {
    run_prepared(commit_, "COMMIT");
}

void Database::rollback() {
    run_prepared(rollback_, "ROLLBACK");
}

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        const std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw SqliteError(msg + " in: " + sql.substr(0, 80), rc);
    }
}

Statement::Statement(Database& db, const std::string& sql) : db_(db.handle()) {
    check(db_, sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr),
          "prepare " + sql.substr(0, 60));
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement& Statement::bind_text(int index, const std::string& value,
                                sqlite3_destructor_type lifetime) {
    check(db_,
          sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), lifetime),
          "bind");
    return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
    return bind_text(index, value, SQLITE_TRANSIENT);  // SQLite copies it
}

Statement& Statement::bind_static(int index, const std::string& value) {
    return bind_text(index, value, SQLITE_STATIC);  // SQLite reads it where it is
}

Statement& Statement::bind(int index, std::int64_t value) {
    check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
    return *this;
}

Statement& Statement::bind_null(int index) {
    check(db_, sqlite3_bind_null(stmt_, index), "bind");
    return *this;
}

Statement& Statement::bind_or_null(int index, const std::string& value) {
    return value.empty() ? bind_null(index) : bind(index, value);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    check(db_, rc, "step");
    return rc == SQLITE_ROW;
}

void Statement::run() {
    const Reset reset(*this);
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int column) const {
    const auto* p = sqlite3_column_text(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, column))
             : std::string();
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.begin();
}

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.rollback();
        } catch (...) {
        }
    }
}

void Transaction::commit() {
    db_.commit();
    done_ = true;
}

}  // namespace wegwijs::store
