// A thin RAII layer over the SQLite C API: a Database owns a connection, a
// Statement owns a prepared statement and resets itself for reuse.
//
// Guarantees: every failing call throws SqliteError with SQLite's message;
// handles are closed exactly once; Transaction rolls back unless committed; a
// Statement is reset after run(), and after any scope holding a Reset.
// A connection is opened with SQLite's default VFS (the durability anchor:
// no shim between SQLite and the file) and without SQLite's own mutex: its
// owner makes sure one thread at a time uses it. A file that cannot be
// written is refused at open, with its path in the message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace wegwijs::store {

struct SqliteError : std::runtime_error {
    explicit SqliteError(const std::string& what, int result_code = SQLITE_ERROR)
        : std::runtime_error(what), code(result_code & 0xff) {}
    int code;  // SQLite's primary result code: SQLITE_FULL, SQLITE_IOERR, ...

    // The storage itself failed (disk full, I/O error, read-only, locked past
    // the busy timeout, damaged), as opposed to a bug or a refused request.
    bool storage_unavailable() const;
    // The file is damaged or no SQLite database at all.
    bool damaged() const { return code == SQLITE_CORRUPT || code == SQLITE_NOTADB; }
};

class Database {
  public:
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    sqlite3* handle() const { return db_; }

    // BEGIN IMMEDIATE, COMMIT and ROLLBACK, each prepared once per connection
    // (a transaction per turn: parsing them every time showed in profiles).
    void begin();
    void commit();
    void rollback();

  private:
    void run_prepared(sqlite3_stmt*& stmt, const char* sql);

    sqlite3* db_ = nullptr;
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    sqlite3_stmt* rollback_ = nullptr;
};

class Statement {
  public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, const std::string& value);  // copies the text
    // Binds the text without copying it: `value` must stay alive and unchanged
    // until the statement is run or reset. For the hot inserts, whose values
    // outlive the call.
    Statement& bind_static(int index, const std::string& value);
    Statement& bind_static(int index, std::string&& value) = delete;  // would dangle
    Statement& bind(int index, std::int64_t value);
    Statement& bind_null(int index);
    Statement& bind_or_null(int index, const std::string& value);  // empty: NULL
    bool step();                                                   // true while a row is available
    void run();  // step to completion, then reset (also when it fails)
    void reset();

    // Resets the statement (and clears its bindings) when the scope ends.
    class Reset {
      public:
        explicit Reset(Statement& s) : s_(s) {}
        ~Reset() { s_.reset(); }
        Reset(const Reset&) = delete;
        Reset& operator=(const Reset&) = delete;

      private:
        Statement& s_;
    };

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    bool is_null(int column) const;

  private:
    Statement& bind_text(int index, const std::string& value, sqlite3_destructor_type lifetime);

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Transaction {
  public:
    explicit Transaction(Database& db);  // BEGIN IMMEDIATE: takes the write lock now
    ~Transaction();
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace wegwijs::store
