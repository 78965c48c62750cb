// A bounded, thread-safe memo of per-word answers (a stem, "does Hunspell
// know it"): the words citizens use recur, and the libraries that answer them
// are slow or single-threaded.
//
// Guarantees: get() returns what compute(word) returns (compute must be a pure
// function of the word); at most kShards * kShardCapacity words are kept (a
// full shard starts over); lookups of different words rarely share a lock.
#pragma once

#include <array>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "text/string_map.h"

namespace wegwijs::language {

template <typename Value>
class WordCache {
  public:
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kShardCapacity = 4096;

    template <typename Compute>
    Value get(std::string_view word, const Compute& compute) {
        Shard& shard = shards_[std::hash<std::string_view>{}(word) % kShards];
        {
            // Readers share the lock: lookups of cached words do not wait on each other.
            std::shared_lock<std::shared_mutex> guard(shard.lock);
            if (const auto hit = shard.values.find(word); hit != shard.values.end())
                return hit->second;
        }
        Value value = compute(word);  // outside the lock: this is the slow part
        std::lock_guard<std::shared_mutex> guard(shard.lock);
        if (shard.values.size() >= kShardCapacity) shard.values.clear();
        shard.values.emplace(std::string(word), value);
        return value;
    }

  private:
    struct Shard {
        std::shared_mutex lock;
        text::StringMap<Value> values;
    };
    std::array<Shard, kShards> shards_;
};

}  // namespace wegwijs::language
