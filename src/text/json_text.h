// JSON text written on the per-turn paths (the reply to a chat turn, the
// stored turn and session) with RapidJSON's streaming writer. nlohmann::json
// builds a tree of maps and vectors first, then frees it; on those paths that
// was a fifth of a turn's instructions. nlohmann::json stays the way to read
// JSON, and to write it wherever speed does not matter.
//
// Guarantees: the text is valid JSON when begins and ends are balanced; every
// string is escaped as JSON requires. Strings must be valid UTF-8 (the
// service checks what it receives).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wegwijs::text {

class JsonText {
  public:
    JsonText() : writer_(buffer_) {}
    JsonText(const JsonText&) = delete;
    JsonText& operator=(const JsonText&) = delete;

    JsonText& begin_object() {
        writer_.StartObject();
        return *this;
    }
    JsonText& end_object() {
        writer_.EndObject();
        return *this;
    }
    JsonText& begin_array() {
        writer_.StartArray();
        return *this;
    }
    JsonText& end_array() {
        writer_.EndArray();
        return *this;
    }
    JsonText& key(std::string_view k) {
        writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        return *this;
    }
    JsonText& string(std::string_view s) {
        writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
        return *this;
    }
    JsonText& integer(std::int64_t i) {
        writer_.Int64(i);
        return *this;
    }
    JsonText& number(double d) {
        writer_.Double(d);
        return *this;
    }
    JsonText& boolean(bool b) {
        writer_.Bool(b);
        return *this;
    }
    JsonText& null() {
        writer_.Null();
        return *this;
    }
    // An object that is JSON text already (written by nlohmann::json, say).
    JsonText& raw(std::string_view json) {
        writer_.RawValue(json.data(), json.size(), rapidjson::kObjectType);
        return *this;
    }
    // "key": value, the common case.
    JsonText& field(std::string_view k, std::string_view s) { return key(k).string(s); }

    std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

  private:
    rapidjson::StringBuffer buffer_;
    rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace wegwijs::text
