// PostgreSQL for several Wegwijs instances on one database (libpqxx): a
// small pool of connections, each used by one thread at a time, and the
// schema with its migrations, under the same version rules as SQLite's
// (store/schema.h): a newer database than this build knows is refused, and
// migrations only ever append. Several instances starting at once migrate
// one after the other (an advisory lock held for the migration's
// transaction).
#pragma once

#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace wegwijs::store {

constexpr int kPgSchemaVersion = 1;

// Whether `db` names a PostgreSQL database (postgresql:// or postgres://).
bool is_postgres_uri(const std::string& db);

class PgPool {
  public:
    explicit PgPool(std::string uri);  // connects once, and migrates
    PgPool(const PgPool&) = delete;
    PgPool& operator=(const PgPool&) = delete;

    // A connection for the caller's thread until the lease ends.
    class Lease {
      public:
        Lease(PgPool& pool, std::unique_ptr<pqxx::connection> c) : pool_(pool), c_(std::move(c)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        pqxx::connection& operator*() const { return *c_; }

      private:
        PgPool& pool_;
        std::unique_ptr<pqxx::connection> c_;
    };
    Lease lease();
    int schema_version();

  private:
    const std::string uri_;
    std::mutex lock_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
};

}  // namespace wegwijs::store
