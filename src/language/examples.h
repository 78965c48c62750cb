// Training examples (dialogs/examples/<locale>/<label>.txt): citizen
// sentences, one per line, that teach the topic classifier what each product
// sounds like, and what a vague or an out-of-scope sentence sounds like.
//
// A label is a product id, "vague" (the sentence must get a question) or
// "out_of_scope" (not a matter for Migratie). Lines starting with '#' are
// comments. Guarantees: load_examples() never throws for bad content; it
// appends one line per problem naming the file and line, and returns the
// examples in a stable order (locale, label, line), so that a model trained
// on them is the same on every machine.
#pragma once

#include <string>
#include <vector>

namespace wegwijs::language {

inline const std::string kVague = "vague";
inline const std::string kOutOfScope = "out_of_scope";

struct Example {
    std::string locale;
    std::string label;
    std::string text;
};

std::vector<Example> load_examples(const std::string& dir, std::vector<std::string>& problems);

}  // namespace wegwijs::language
