// The SQLite session store: WAL mode, the schema of store/schema.h.
//
// Invariant: every turn record belongs to a stored session (foreign key).
//
// Concurrency: one writing connection, used by one thread at a time. Turns
// are written by group commit: a turn waits in a queue, and whichever waiting
// thread finds no commit in progress writes every queued turn in one
// transaction, then wakes the others. save_turn() still returns only after its
// own turn is committed, so a reply never goes out before its turn is stored;
// a turn that fails is retried alone so that it cannot fail its neighbours.
// Reads use a pool of reading connections (WAL lets them run beside the
// writer), and a background thread checkpoints the WAL, a MiB at a time as
// it grows, so that no reply waits for a checkpoint; when the WAL is to start
// over, the writer only copies the few frames added since the last pass (and
// syncs them: the one wait on the disk that commits can meet, kept short
// because the checkpointer has synced all it copied).
// Invariant: the WAL stays under 64 MiB (the journal_size_limit): should it
// reach kRestartBytes all the same, the writer copies it whole before its next
// commit (unless a reader holds an old snapshot past the busy timeout).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::store {

class SqliteStore final : public SessionStore {
  public:
    explicit SqliteStore(const std::string& path);  // throws SqliteError
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    std::optional<dialog::Session> load(const std::string& id) override;
    void save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) override;
    std::vector<TurnRecord> transcript(const std::string& session_id) override;
    int purge_idle_before(std::int64_t ms) override;

    int schema_version();
    struct Stats {
        std::uint64_t turns = 0;               // turns written since the store was opened
        std::uint64_t commits = 0;             // transactions they took (group commit: fewer)
        std::uint64_t checkpoints = 0;         // WAL checkpoints run in the background
        std::uint64_t failed_checkpoints = 0;  // checkpoints that could not run
        std::uint64_t wal_restarts = 0;        // times the writer caught up and the WAL began anew
        // Time commits waited for the writer's own checkpoints, in all and at most.
        std::uint64_t writer_checkpoint_us = 0;
        std::uint64_t longest_writer_checkpoint_us = 0;
    };
    Stats stats();

  private:
    struct PendingTurn;
    struct Reader;
    class ReaderLease;

    void write_batch(const std::vector<PendingTurn*>& batch);
    void write_one(const PendingTurn& p);
    void checkpoint_as_writer(int mode);  // SQLITE_CHECKPOINT_PASSIVE or _RESTART
    ReaderLease lease_reader();
    void checkpoint_loop();

    const std::string path_;

    // The writing connection and its statements; write_lock_ held while used.
    std::mutex write_lock_;
    Database db_;
    std::unique_ptr<Statement> upsert_;
    std::unique_ptr<Statement> insert_turn_;

    // Group commit.
    std::mutex queue_lock_;
    std::vector<PendingTurn*> queue_;
    bool committing_ = false;
    std::uint64_t turns_ = 0;
    std::uint64_t commits_ = 0;
    std::uint64_t checkpoints_ = 0;
    std::uint64_t failed_checkpoints_ = 0;
    std::uint64_t wal_restarts_ = 0;
    std::uint64_t writer_checkpoint_us_ = 0;
    std::uint64_t longest_writer_checkpoint_us_ = 0;

    // Idle reading connections.
    std::mutex readers_lock_;
    std::vector<std::unique_ptr<Reader>> readers_;

    // Checkpoints, asked for by the WAL hook of the writing connection.
    std::mutex checkpoint_lock_;
    std::condition_variable checkpoint_wake_;
    bool checkpoint_due_ = false;
    std::atomic<bool> checkpoint_asked_{false};
    int step_frames_ = 0;                  // kCheckpointStepBytes in frames of this file
    int checkpoint_frames_ = 0;            // kCheckpointBytes in frames of this file
    int restart_frames_ = 0;               // kRestartBytes in frames of this file
    int finish_frames_ = 0;                // kFinishBytes in frames of this file
    std::atomic<int> checkpoint_mark_{0};  // WAL frames at the checkpointer's last pass
    std::atomic<int> wal_pages_{0};        // WAL frames after the last commit
    std::atomic<bool> finish_due_{false};  // a checkpoint for the writer to finish
    bool stopping_ = false;
    std::thread checkpointer_;
};

}  // namespace wegwijs::store
