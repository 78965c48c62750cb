#include "store/sqlite_store.h"

#include <semaphore.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <system_error>
#include <thread>

#include "store/schema.h"

namespace wegwijs::store {
namespace {

// The background checkpointer copies the WAL back into the database a little
// at a time: each time the WAL has grown by this much since its last pass.
// Copying 16 MiB at once is a burst of work that takes one of the two CPUs
// from the requests served meanwhile, and those bursts made the tail.
// Measured at 16 connections (alternating rounds, same throughput): p99 4.4-
// 5.2 ms with 16 MiB at once, 3.2-3.6 ms following each MiB, 2.4-2.8 ms with
// no checkpoint at all. Steps of 256 KiB to 1 MiB measured alike; 2 MiB was
// worse.
constexpr std::int64_t kCheckpointStepBytes = 1 << 20;
// The WAL length after which it is started over. Each restart ends with the
// writer's own short checkpoint, whose syncs hold commits back (see
// checkpoint_as_writer): fewer restarts mean fewer of those waits, for a WAL
// file of some tens of MiB.
constexpr std::int64_t kCheckpointBytes = 16 << 20;
// Under steady writes a PASSIVE checkpoint never catches up with the writer,
// so the WAL would never start over. The writer finishes each one (see
// checkpoint_as_writer); should the WAL reach this length all the same (the
// checkpointer stalled, say, in an fsync on a busy disk), the writer runs a
// RESTART checkpoint itself before its next commit, which holds commits back
// while it copies and waits for readers: a last resort, and what keeps the
// WAL under the journal_size_limit.
constexpr std::int64_t kRestartBytes = 62 << 20;
// Before a restart the background checkpointer leaves at most about this much
// WAL to the writer, passing over the WAL up to kCatchUpPasses times to get
// there: the writer copies it while commits wait.
constexpr std::int64_t kFinishBytes = 256 << 10;
constexpr int kCatchUpPasses = 4;
constexpr std::int64_t kJournalSizeLimit = 64 << 20;
static_assert(kCheckpointStepBytes < kCheckpointBytes && kFinishBytes < kCheckpointBytes &&
              kCheckpointBytes < kRestartBytes && kRestartBytes < kJournalSizeLimit);

// The bytes a WAL frame of this file takes: a page and its 24-byte header.
// The page size is the file's, which an older file may have other than
// kPageSize.
std::int64_t frame_bytes(Database& db) {
    Statement q(db, "PRAGMA page_size");
    const Statement::Reset reset(q);
    if (!q.step()) throw SqliteError("PRAGMA page_size returned nothing");
    return q.integer(0) + 24;
}

void configure(Database& db) {
    use_wal(db);
    db.exec("PRAGMA synchronous=NORMAL");  // WAL: a commit survives a crash of the process
    db.exec("PRAGMA foreign_keys=ON");
    // A WAL that grew under a burst is cut back to this size once checkpointed.
    db.exec("PRAGMA journal_size_limit=" + std::to_string(kJournalSizeLimit));
}

// A thread's own wake-up call: a POSIX semaphore that lives as long as the
// thread. A commit posts it after letting go of queue_lock_, so the thread it
// wakes does not at once block on that lock; and since the semaphore outlives
// the turn that was waiting, posting it is safe even when that turn's thread
// has already returned.
class Wakeup {
  public:
    Wakeup() {
        if (sem_init(&sem_, 0, 0) != 0) throw std::system_error(errno, std::generic_category());
    }
    ~Wakeup() { sem_destroy(&sem_); }
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;
    void post() { sem_post(&sem_); }  // cannot fail on a valid semaphore below its maximum
    void wait() {
        while (sem_wait(&sem_) != 0) {
            // EINTR: a signal arrived; keep waiting. Anything else means a
            // broken semaphore, and the queue's invariant with it: stop.
            if (errno != EINTR) std::terminate();
        }
    }

  private:
    sem_t sem_;
};

thread_local Wakeup this_thread_wakeup;

}  // namespace

// One turn waiting to be written, with its JSON already serialised by the
// thread that asked (so the commit does no more than SQL).
//
// Its thread sleeps on its own Wakeup, so a commit wakes exactly the threads
// whose turns it wrote, plus the one that leads the next commit. Each waiting
// turn is posted exactly once: `done` and `lead` are set under queue_lock_,
// and the post that follows is the last the committer does with the turn.
struct SqliteStore::PendingTurn {
    const dialog::Session& session;
    const std::vector<TurnRecord>& records;
    std::string data;
    std::exception_ptr error;
    bool done = false;
    bool lead = false;  // this thread is to write the queue next
    Wakeup& wakeup = this_thread_wakeup;
};

struct SqliteStore::Reader {
    explicit Reader(const std::string& path)
        : db(path),
          load(db, "SELECT channel, created_ms, updated_ms, data FROM sessions WHERE id = ?"),
          transcript(db,
                     "SELECT at_ms, direction, channel, locale, text, choice, state_before, "
                     "state_after, understanding FROM turns WHERE session_id = ? ORDER BY id") {}
    Database db;
    Statement load;
    Statement transcript;
};

// A reading connection taken from the pool for one call, given back after.
class SqliteStore::ReaderLease {
  public:
    ReaderLease(SqliteStore& store, std::unique_ptr<Reader> reader)
        : store_(store), reader_(std::move(reader)) {}
    ~ReaderLease() {
        std::lock_guard<std::mutex> guard(store_.readers_lock_);
        store_.readers_.push_back(std::move(reader_));
    }
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    Reader* operator->() const { return reader_.get(); }

  private:
    SqliteStore& store_;
    std::unique_ptr<Reader> reader_;
};

SqliteStore::SqliteStore(const std::string& path) : path_(path), db_(path) {
    configure(db_);
    migrate(db_);
    const std::int64_t frame = frame_bytes(db_);
    step_frames_ = static_cast<int>(kCheckpointStepBytes / frame);
    checkpoint_frames_ = static_cast<int>(kCheckpointBytes / frame);
    restart_frames_ = static_cast<int>(kRestartBytes / frame);
    finish_frames_ = static_cast<int>(kFinishBytes / frame);
    upsert_ = std::make_unique<Statement>(
        db_,
        "INSERT INTO sessions(id, channel, created_ms, updated_ms, state, data) VALUES "
        "(?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET updated_ms = excluded.updated_ms, state = excluded.state, "
        "data = excluded.data");
    insert_turn_ =
        std::make_unique<Statement>(db_,
                                    "INSERT INTO turns(session_id, at_ms, direction, channel, "
                                    "locale, text, choice, state_before, state_after, "
                                    "understanding) VALUES (?,?,?,?,?,?,?,?,?,?)");
    sqlite3_wal_hook(
        db_.handle(),
        [](void* self, sqlite3*, const char*, int pages) {
            auto* store = static_cast<SqliteStore*>(self);
            // One wake-up per step of WAL growth since the checkpointer's last
            // pass, not one per commit.
            store->wal_pages_ = pages;
            int mark = store->checkpoint_mark_.load();
            if (pages < mark) store->checkpoint_mark_ = mark = 0;  // the WAL restarted
            if (pages >= mark + store->step_frames_ && !store->checkpoint_asked_.exchange(true)) {
                std::lock_guard<std::mutex> guard(store->checkpoint_lock_);
                store->checkpoint_due_ = true;
                store->checkpoint_wake_.notify_one();
            }
            return SQLITE_OK;
        },
        this);
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
}

SqliteStore::~SqliteStore() {
    {
        std::lock_guard<std::mutex> guard(checkpoint_lock_);
        stopping_ = true;
    }
    checkpoint_wake_.notify_one();
    checkpointer_.join();
}

int SqliteStore::schema_version() {
    std::lock_guard<std::mutex> guard(write_lock_);
    return store::schema_version(db_);
}

SqliteStore::Stats SqliteStore::stats() {
    std::lock_guard<std::mutex> guard(queue_lock_);
    return {turns_,
            commits_,
            checkpoints_,
            failed_checkpoints_,
            wal_restarts_,
            writer_checkpoint_us_,
            longest_writer_checkpoint_us_};
}

SqliteStore::ReaderLease SqliteStore::lease_reader() {
    {
        std::lock_guard<std::mutex> guard(readers_lock_);
        if (!readers_.empty()) {
            auto reader = std::move(readers_.back());
            readers_.pop_back();
            return {*this, std::move(reader)};
        }
    }
    auto reader = std::make_unique<Reader>(path_);  // outside the lock: opening takes a while
    return {*this, std::move(reader)};
}

std::optional<dialog::Session> SqliteStore::load(const std::string& id) {
    const ReaderLease reader = lease_reader();
    Statement& q = reader->load;
    const Statement::Reset reset(q);
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    dialog::Session s;
    s.id = id;
    s.channel = q.text(0);
    s.created_ms = q.integer(1);
    s.updated_ms = q.integer(2);
    s.load_data_json(nlohmann::json::parse(q.text(3)));
    return s;
}

void SqliteStore::save_turn(const dialog::Session& s, const std::vector<TurnRecord>& records) {
    PendingTurn pending{s, records, s.data_text(), nullptr};

    std::unique_lock<std::mutex> lk(queue_lock_);
    queue_.push_back(&pending);
    if (committing_) {
        // Invariant: while committing_ is set, a leader is writing; when it
        // ends, the head of the queue (if any) is told to lead and writes
        // everything queued by then.
        lk.unlock();
        pending.wakeup.wait();
        if (pending.done) {
            if (pending.error) std::rethrow_exception(pending.error);
            return;
        }
        lk.lock();  // pending.lead: this thread writes next
    }
    // Lead: write everything queued so far, this turn included.
    committing_ = true;
    std::vector<PendingTurn*> batch;
    batch.swap(queue_);
    lk.unlock();
    write_batch(batch);
    std::vector<Wakeup*> to_wake;
    to_wake.reserve(batch.size());
    lk.lock();
    for (PendingTurn* p : batch) {
        p->done = true;
        if (p != &pending) to_wake.push_back(&p->wakeup);
    }
    if (queue_.empty()) {
        committing_ = false;
    } else {
        queue_.front()->lead = true;  // hand over; committing_ stays set
        to_wake.push_back(&queue_.front()->wakeup);
    }
    lk.unlock();
    for (Wakeup* w : to_wake) w->post();
    if (pending.error) std::rethrow_exception(pending.error);
}

void SqliteStore::write_batch(const std::vector<PendingTurn*>& batch) {
    std::lock_guard<std::mutex> guard(write_lock_);
    if (wal_pages_ >= restart_frames_)
        checkpoint_as_writer(SQLITE_CHECKPOINT_RESTART);
    else if (finish_due_.exchange(false))
        checkpoint_as_writer(SQLITE_CHECKPOINT_PASSIVE);
    try {
        Transaction tx(db_);
        for (const PendingTurn* p : batch) write_one(*p);
        tx.commit();
        std::lock_guard<std::mutex> count(queue_lock_);
        ++commits_;
        turns_ += batch.size();
        return;
    } catch (const std::exception&) {
        if (batch.size() == 1) {
            batch[0]->error = std::current_exception();
            return;
        }
    }
    // Something in the batch failed: write each turn alone, so only the
    // failing one reports an error.
    for (PendingTurn* p : batch) {
        try {
            Transaction tx(db_);
            write_one(*p);
            tx.commit();
            std::lock_guard<std::mutex> count(queue_lock_);
            ++commits_;
            ++turns_;
        } catch (const std::exception&) {
            p->error = std::current_exception();
        }
    }
}

// The writer's own checkpoint, between two transactions (no frame can be
// added meanwhile).
//
// PASSIVE: the background checkpointer copies the bulk of the WAL while
// commits go on, so it ends a little behind the writer; this copies those
// last frames, and once every frame is in the database, SQLite writes the
// next transaction at the start of the WAL again instead of at its end. It
// syncs the WAL and the database while commits wait; since the checkpointer
// synced everything it copied, only the last frames are left to flush: about
// 2.5 ms on average under bench/chat.lua, more on a busy disk. A reader still
// on an older snapshot can keep frames from being copied; the next checkpoint
// tries again.
//
// RESTART, the last resort: copies the whole WAL, waiting for readers as long
// as the busy timeout allows. SQLite answers busy at once, copying nothing,
// while the background checkpoint runs (one checkpoint at a time); the next
// commit then asks again. Either way no data is lost.
void SqliteStore::checkpoint_as_writer(int mode) {
    int frames = 0;
    int copied = 0;
    const auto started = std::chrono::steady_clock::now();
    const int rc = sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, mode, &frames, &copied);
    const auto us =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - started)
                                       .count());
    std::lock_guard<std::mutex> count(queue_lock_);
    writer_checkpoint_us_ += us;
    longest_writer_checkpoint_us_ = std::max(longest_writer_checkpoint_us_, us);
    if (rc == SQLITE_OK && frames == copied) {
        ++wal_restarts_;
        wal_pages_ = 0;
    } else if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        ++failed_checkpoints_;
    }
}

// The session, the records and the serialised data outlive each run(), so
// their text is bound without a copy.
void SqliteStore::write_one(const PendingTurn& p) {
    const dialog::Session& s = p.session;
    upsert_->bind_static(1, s.id)
        .bind_static(2, s.channel)
        .bind(3, s.created_ms)
        .bind(4, s.updated_ms)
        .bind_static(5, s.state)
        .bind_static(6, p.data)
        .run();
    for (const TurnRecord& r : p.records) {
        Statement& q = *insert_turn_;
        q.bind_static(1, s.id)
            .bind(2, r.at_ms)
            .bind_static(3, r.direction)
            .bind_static(4, r.channel)
            .bind_static(5, r.locale)
            .bind_static(6, r.text);
        if (r.choice.empty())
            q.bind_null(7);
        else
            q.bind_static(7, r.choice);
        q.bind_static(8, r.state_before).bind_static(9, r.state_after);
        if (r.understanding.empty())
            q.bind_null(10);
        else
            q.bind_static(10, r.understanding);
        q.run();
    }
}

std::vector<TurnRecord> SqliteStore::transcript(const std::string& session_id) {
    const ReaderLease reader = lease_reader();
    Statement& q = reader->transcript;
    const Statement::Reset reset(q);
    q.bind(1, session_id);
    std::vector<TurnRecord> out;
    while (q.step()) {
        TurnRecord r;
        r.at_ms = q.integer(0);
        r.direction = q.text(1);
        r.channel = q.text(2);
        r.locale = q.text(3);
        r.text = q.text(4);
        r.choice = q.text(5);
        r.state_before = q.text(6);
        r.state_after = q.text(7);
        r.understanding = q.text(8);  // empty for NULL
        out.push_back(std::move(r));
    }
    return out;
}

int SqliteStore::purge_idle_before(std::int64_t ms) {
    std::lock_guard<std::mutex> guard(write_lock_);
    Transaction tx(db_);
    Statement q(db_, "DELETE FROM sessions WHERE updated_ms < ?");
    q.bind(1, ms).run();
    const int n = sqlite3_changes(db_.handle());
    tx.commit();
    return n;
}

void SqliteStore::checkpoint_loop() {
    std::unique_ptr<Database> db;  // opened on first use
    // The WAL's length when the writer was last asked to finish, so that a
    // WAL that readers keep from starting over is finished again only once
    // it has grown by kCheckpointBytes more.
    int finish_mark = 0;
    std::unique_lock<std::mutex> lk(checkpoint_lock_);
    while (true) {
        checkpoint_wake_.wait(lk, [this] { return checkpoint_due_ || stopping_; });
        if (stopping_) return;
        checkpoint_due_ = false;
        lk.unlock();
        try {
            if (!db) {
                db = std::make_unique<Database>(path_);
                // A connection that has not read the file yet does not know it
                // is in WAL mode, and its checkpoints would do nothing.
                db->exec("SELECT count(*) FROM sqlite_master");
            }
            // PASSIVE copies what it can without blocking the writer or
            // readers: each wake-up, what the WAL gained since the last one.
            //
            // Once the WAL is long enough to start over, the writer is to
            // copy the last frames while commits wait; so first pass again,
            // each pass copying what came in during the one before, until
            // that is small. And since a pass that does not reach the end
            // of the WAL leaves the pages it copied unsynced in the database
            // file (SQLite syncs them in the checkpoint that does reach the
            // end: the writer's), sync it here, off the write path; the
            // writer's syncs then flush only what came after. Measured:
            // those syncs took 5-9 ms for 16 MiB of WAL, and commits waited
            // for them; now they take about 2.5 ms on average.
            int frames_seen = 0;  // the WAL's length as the pass saw it
            int copied = 0;
            int rc = sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &frames_seen, &copied);
            if (frames_seen < finish_mark) finish_mark = 0;  // the WAL started over
            const bool restart = rc == SQLITE_OK && frames_seen >= finish_mark + checkpoint_frames_;
            for (int pass = 1; restart && pass < kCatchUpPasses; ++pass) {
                if (wal_pages_ - copied <= finish_frames_) break;
                rc = sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                               &frames_seen, &copied);
                if (rc != SQLITE_OK) break;
            }
            if (restart && rc == SQLITE_OK) {
                db->sync_files();
                finish_mark = frames_seen;
                finish_due_ = true;  // the writer copies the rest between commits
            }
            std::lock_guard<std::mutex> count(queue_lock_);
            if (rc == SQLITE_OK && frames_seen >= 0) {
                ++checkpoints_;
                checkpoint_mark_ = frames_seen;
            } else if (rc != SQLITE_BUSY)  // busy: the writer was finishing one; asked again later
                ++failed_checkpoints_;
        } catch (const std::exception&) {
            std::lock_guard<std::mutex> count(queue_lock_);
            ++failed_checkpoints_;  // loses no data: the WAL keeps every commit
        }
        checkpoint_asked_ = false;  // the next commit over the limit asks again
        lk.lock();
    }
}

}  // namespace wegwijs::store
