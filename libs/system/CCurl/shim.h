#include <curl/curl.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic
// macros/functions that Swift cannot import. These typed wrappers give each
// argument kind its own non-variadic entry point. Only libs/http uses them.

typedef size_t (*synth_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode synth_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode synth_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode synth_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode synth_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share a signature.
static inline CURLcode synth_curl_setopt_callback(CURL *handle, CURLoption option, synth_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets a request body that curl copies, so the caller's buffer may go away
/// immediately. The size must be set before COPYPOSTFIELDS, or curl would
/// strlen() binary data. A NULL/empty body still sends "Content-Length: 0".
static inline CURLcode synth_curl_set_copied_body(CURL *handle, const void *data, curl_off_t size) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, size);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_COPYPOSTFIELDS, (size > 0 && data) ? (const char *)data : "");
}

static inline CURLcode synth_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode synth_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
