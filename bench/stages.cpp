// stages: where the time of one chat turn goes, stage by stage, on one thread.
//
// Runs the sentences of a JSONL file (the route-eval format, one {"text"} per
// line) through the understanding, a whole engine turn, and a stored turn
// (the Assistant with a real SQLite file), and prints microseconds per call
// of each. It complements bench/run.sh, which measures the whole service
// over HTTP: use it to see which stage a change made faster.
//
// usage: stages <data root> <sentences.jsonl> <sqlite file> [rounds]
#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>

#include "app/assistant.h"
#include "store/sqlite_store.h"

namespace {

using namespace wegwijs;

double micros_per_call(int calls, const std::function<void()>& body) {
    const auto start = std::chrono::steady_clock::now();
    body();
    const std::chrono::duration<double, std::micro> spent =
        std::chrono::steady_clock::now() - start;
    return spent.count() / calls;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: stages <data root> <sentences.jsonl> <sqlite file> [rounds]\n";
        return 2;
    }
    const int rounds = argc > 4 ? std::atoi(argv[4]) : 20;
    std::vector<std::string> problems;
    auto dictionaries =
        std::make_shared<language::Dictionaries>(language::Dictionaries::debian_defaults());
    const auto data = dialog::DialogData::load(argv[1], dictionaries, problems);
    if (!problems.empty()) {
        std::cerr << "stages: the dialog data has problems; run wegwijs check\n";
        return 1;
    }
    std::vector<std::string> texts;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) texts.push_back(nlohmann::json::parse(line).at("text"));
    if (texts.empty()) {
        std::cerr << "stages: no sentences in " << argv[2] << "\n";
        return 1;
    }
    const int calls = rounds * static_cast<int>(texts.size());

    std::size_t sink = 0;  // keeps the optimiser from dropping the work
    const double lexicon = micros_per_call(calls, [&] {
        for (int r = 0; r < rounds; ++r)
            for (const auto& t : texts) sink += data.analyzer->analyse(t).matches.size();
    });
    const double analyse = micros_per_call(calls, [&] {
        for (int r = 0; r < rounds; ++r)
            for (const auto& t : texts) sink += data.analyse(t).topics.size();
    });
    const dialog::Engine engine(data);
    const double step = micros_per_call(calls, [&] {
        for (int r = 0; r < rounds; ++r)
            for (const auto& t : texts) {
                dialog::Session s;
                sink += engine.step(s, {t, "", "", std::nullopt}).messages.size();
            }
    });
    store::SqliteStore store(argv[3]);
    app::Assistant assistant(data, store, {});
    const double turn = micros_per_call(calls, [&] {
        for (int r = 0; r < rounds; ++r)
            for (const auto& t : texts)
                sink += assistant.chat({std::nullopt, t, "", {}, "web"}).session_id.size();
    });
    std::cout << "sentences " << texts.size() << " x " << rounds << " rounds\n"
              << "lexicon        " << lexicon << " us/call\n"
              << "understanding  " << analyse << " us/call (lexicon and topic classifier)\n"
              << "engine step    " << step << " us/call (understanding included)\n"
              << "stored turn    " << turn << " us/call (engine step and SQLite included)\n"
              << "(checksum " << sink << ")\n";
    return 0;
}
