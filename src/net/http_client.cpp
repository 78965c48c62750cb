// Outbound JSON POSTs; see http_client.h.
#include "net/http_client.h"

#include <curl/curl.h>

#include <memory>

#include "mail/smtp_client.h"

namespace wegwijs::net {
namespace {

struct EasyDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

}  // namespace

HttpAnswer post_json(const std::string& url, const std::vector<std::string>& headers,
                     const std::string& body, long timeout_seconds) {
    mail::init_smtp();  // curl_global_init, once per process
    std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
    if (!curl) throw HttpError("libcurl could not start");
    CURL* c = curl.get();
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    std::unique_ptr<curl_slist, ListDeleter> owned(list);
    HttpAnswer answer;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, std::min(timeout_seconds, 10L));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) throw HttpError(std::string("HTTP: ") + curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

}  // namespace wegwijs::net
