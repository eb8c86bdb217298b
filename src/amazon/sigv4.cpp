#include "clarity/amazon/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <stdexcept>
#include <vector>

// Algorithm: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html, checked
// case by case against ../shared/vectors/aws-sigv4/ (aws-doc-suite and aws-c-auth-v4).

namespace clarity::amazon {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string to_hex(const unsigned char* data, std::size_t n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0x0f]);
    }
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(),
             &len) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(out.data()), len);
}

bool is_unreserved(unsigned char c) {
    return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

std::string uri_encode(std::string_view s, bool keep_slash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kDigits[c >> 4]);
            out.push_back(kDigits[c & 0x0f]);
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string normalize_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        auto next = path.find('/', pos);
        if (next == std::string_view::npos) next = path.size();
        auto seg = path.substr(pos, next - pos);
        if (seg == "..") {
            if (!out.empty()) out.pop_back();
        } else if (!seg.empty() && seg != ".") {
            out.push_back(seg);
        }
        pos = next + 1;
    }
    std::string result = "/";
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i > 0) result.push_back('/');
        result.append(out[i]);
    }
    bool trailing =
        path.size() > 1 && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/.."));
    if (trailing && result.size() > 1) result.push_back('/');
    return result;
}

std::string canonical_uri(std::string_view path, bool normalize) {
    if (path.empty()) return "/";
    std::string p = normalize ? normalize_path(path) : std::string(path);
    return uri_encode(p, true);
}

using Params = std::vector<std::pair<std::string, std::string>>;

Params parse_query(std::string_view query) {
    Params params;
    std::size_t pos = 0;
    while (pos < query.size()) {
        auto next = query.find('&', pos);
        if (next == std::string_view::npos) next = query.size();
        auto part = query.substr(pos, next - pos);
        if (!part.empty()) {
            auto eq = part.find('=');
            std::string key(part.substr(0, eq));
            std::string value =
                eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
            params.emplace_back(percent_decode(key), percent_decode(value));
        }
        pos = next + 1;
    }
    return params;
}

std::string canonical_query(const Params& decoded) {
    std::vector<std::pair<std::string, std::string>> enc;
    enc.reserve(decoded.size());
    for (const auto& [k, v] : decoded) enc.emplace_back(uri_encode(k, false), uri_encode(v, false));
    std::sort(enc.begin(), enc.end());
    std::string out;
    for (const auto& [k, v] : enc) {
        if (!out.empty()) out.push_back('&');
        out += k;
        out.push_back('=');
        out += v;
    }
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Trims and collapses runs of whitespace (including folded line breaks) into one space.
std::string canonical_value(std::string_view v) {
    std::string out;
    bool space = false;
    for (char c : v) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
        } else {
            if (space && !out.empty()) out.push_back(' ');
            space = false;
            out.push_back(c);
        }
    }
    return out;
}

struct CanonicalHeaders {
    std::string block;  // "name:value\n" lines
    std::string signed_names;
};

CanonicalHeaders canonical_headers(const net::Headers& headers) {
    std::vector<std::pair<std::string, std::string>> merged;  // sorted by name, values in order
    for (const auto& [name, value] : headers) {
        auto key = lower(name);
        auto it = std::find_if(merged.begin(), merged.end(),
                               [&](const auto& p) { return p.first == key; });
        if (it == merged.end()) {
            merged.emplace_back(key, canonical_value(value));
        } else {
            it->second += ',';
            it->second += canonical_value(value);
        }
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    CanonicalHeaders out;
    for (const auto& [k, v] : merged) {
        out.block += k + ":" + v + "\n";
        if (!out.signed_names.empty()) out.signed_names.push_back(';');
        out.signed_names += k;
    }
    return out;
}

std::string date_stamp(Clock::time_point t) { return amz_date(t).substr(0, 8); }

std::string signing_key(const Secret& secret,
                        std::string_view date,
                        std::string_view region,
                        std::string_view service) {
    auto k = hmac_sha256("AWS4" + secret.reveal(), date);
    k = hmac_sha256(k, region);
    k = hmac_sha256(k, service);
    return hmac_sha256(k, "aws4_request");
}

std::string hex_hmac(std::string_view key, std::string_view data) {
    auto raw = hmac_sha256(key, data);
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
    auto q = target.find('?');
    if (q == std::string_view::npos) return {target, {}};
    return {target.substr(0, q), target.substr(q + 1)};
}

bool has_header(const net::Headers& h, std::string_view name) {
    return net::find_header(h, name).has_value();
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return to_hex(out.data(), len);
}

std::string amz_date(Clock::time_point t) {
    std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

SigV4Signature sign_headers(const SignableRequest& request,
                            const AwsCredentials& credentials,
                            const SigV4Params& params) {
    SigV4Signature sig;
    const auto date = amz_date(params.time);
    net::Headers headers = request.headers;
    if (!has_header(headers, "x-amz-date")) {
        headers.emplace_back("X-Amz-Date", date);
        sig.added_headers.emplace_back("X-Amz-Date", date);
    }
    const auto payload_hash = sha256_hex(request.body);
    if (params.sign_body && !has_header(headers, "x-amz-content-sha256")) {
        headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
        sig.added_headers.emplace_back("X-Amz-Content-Sha256", payload_hash);
    }
    const bool has_token = !credentials.session_token.empty();
    if (has_token && !params.omit_session_token && !has_header(headers, "x-amz-security-token")) {
        headers.emplace_back("X-Amz-Security-Token", credentials.session_token.reveal());
        sig.added_headers.emplace_back("X-Amz-Security-Token", credentials.session_token.reveal());
    }
    auto [path, query] = split_target(request.target);
    auto ch = canonical_headers(headers);
    sig.canonical_request = request.method + "\n" + canonical_uri(path, params.normalize_path) +
                            "\n" + canonical_query(parse_query(query)) + "\n" + ch.block + "\n" +
                            ch.signed_names + "\n" + payload_hash;
    const auto scope =
        date.substr(0, 8) + "/" + params.region + "/" + params.service + "/aws4_request";
    sig.string_to_sign = std::string(kAlgorithm) + "\n" + date + "\n" + scope + "\n" +
                         sha256_hex(sig.canonical_request);
    sig.signature = hex_hmac(signing_key(credentials.secret_access_key, date_stamp(params.time),
                                         params.region, params.service),
                             sig.string_to_sign);
    sig.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                        scope + ", SignedHeaders=" + ch.signed_names +
                        ", Signature=" + sig.signature;
    if (has_token && params.omit_session_token && !has_header(headers, "x-amz-security-token")) {
        sig.added_headers.emplace_back("X-Amz-Security-Token", credentials.session_token.reveal());
    }
    sig.added_headers.emplace_back("Authorization", sig.authorization);
    return sig;
}

SigV4Signature presign_query(const SignableRequest& request,
                             const AwsCredentials& credentials,
                             const SigV4Params& params,
                             std::chrono::seconds expires) {
    SigV4Signature sig;
    const auto date = amz_date(params.time);
    const auto scope =
        date.substr(0, 8) + "/" + params.region + "/" + params.service + "/aws4_request";
    auto [path, query] = split_target(request.target);
    auto ch = canonical_headers(request.headers);
    Params q = parse_query(query);
    q.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
    q.emplace_back("X-Amz-Credential", credentials.access_key_id + "/" + scope);
    q.emplace_back("X-Amz-Date", date);
    q.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
    const bool has_token = !credentials.session_token.empty();
    if (has_token && !params.omit_session_token) {
        q.emplace_back("X-Amz-Security-Token", credentials.session_token.reveal());
    }
    q.emplace_back("X-Amz-SignedHeaders", ch.signed_names);
    const auto cq = canonical_query(q);
    sig.canonical_request = request.method + "\n" + canonical_uri(path, params.normalize_path) +
                            "\n" + cq + "\n" + ch.block + "\n" + ch.signed_names + "\n" +
                            sha256_hex(request.body);
    sig.string_to_sign = std::string(kAlgorithm) + "\n" + date + "\n" + scope + "\n" +
                         sha256_hex(sig.canonical_request);
    sig.signature = hex_hmac(signing_key(credentials.secret_access_key, date_stamp(params.time),
                                         params.region, params.service),
                             sig.string_to_sign);
    sig.signed_query = cq;
    if (has_token && params.omit_session_token) {
        sig.signed_query +=
            "&X-Amz-Security-Token=" + uri_encode(credentials.session_token.reveal(), false);
    }
    sig.signed_query += "&X-Amz-Signature=" + sig.signature;
    return sig;
}

void sign_request(net::HttpRequest& request,
                  const AwsCredentials& credentials,
                  const SigV4Params& params) {
    std::string_view url = request.url;
    auto scheme_end = url.find("://");
    auto rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    std::string target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (auto at = authority.find('@'); at != std::string_view::npos) {
        authority = authority.substr(at + 1);
    }
    std::string host(authority);
    if (url.starts_with("https://") && host.ends_with(":443")) host.resize(host.size() - 4);
    if (url.starts_with("http://") && host.ends_with(":80")) host.resize(host.size() - 3);
    if (!has_header(request.headers, "host")) request.headers.emplace_back("Host", host);
    SignableRequest signable{request.method, target, request.headers, request.body};
    auto sig = sign_headers(signable, credentials, params);
    for (auto& h : sig.added_headers) request.headers.push_back(std::move(h));
}

SigV4Verification verify_headers(const SignableRequest& request,
                                 std::string_view expected_access_key_id,
                                 const Secret& secret,
                                 std::string_view region,
                                 std::string_view service,
                                 Clock::time_point now) {
    SigV4Verification v;
    auto auth = net::find_header(request.headers, "authorization");
    if (!auth) {
        v.reason = "missing Authorization header";
        return v;
    }
    std::string_view a = *auth;
    if (!a.starts_with(kAlgorithm)) {
        v.reason = "unsupported signature algorithm";
        return v;
    }
    auto field = [&](std::string_view name) -> std::string {
        auto pos = a.find(name);
        if (pos == std::string_view::npos) return {};
        auto start = pos + name.size();
        auto end = a.find(',', start);
        auto val = a.substr(start, end == std::string_view::npos ? a.size() - start : end - start);
        while (!val.empty() && val.back() == ' ') val.remove_suffix(1);
        return std::string(val);
    };
    auto credential = field("Credential=");
    auto signed_names = field("SignedHeaders=");
    auto signature = field("Signature=");
    auto slash = credential.find('/');
    v.access_key_id = credential.substr(0, slash);
    if (v.access_key_id != expected_access_key_id) {
        v.reason = "The security token included in the request is invalid (unknown access key)";
        return v;
    }
    auto date_header = net::find_header(request.headers, "x-amz-date");
    if (!date_header || date_header->size() != 16) {
        v.reason = "missing or malformed X-Amz-Date";
        return v;
    }
    std::tm tm{};
    std::string d(*date_header);
    if (strptime(d.c_str(), "%Y%m%dT%H%M%SZ", &tm) == nullptr) {
        v.reason = "malformed X-Amz-Date";
        return v;
    }
    auto t = std::chrono::system_clock::from_time_t(timegm(&tm));
    if (t > now + std::chrono::minutes(15) || t < now - std::chrono::minutes(15)) {
        v.reason = "Signature expired: X-Amz-Date is more than 15 minutes from the server time";
        return v;
    }
    std::string expected_scope =
        d.substr(0, 8) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
    if (slash == std::string::npos || credential.substr(slash + 1) != expected_scope) {
        v.reason = "Credential scope " +
                   credential.substr(slash == std::string::npos ? 0 : slash + 1) +
                   " does not match " + expected_scope;
        return v;
    }
    net::Headers subset;
    std::size_t pos = 0;
    while (pos <= signed_names.size()) {
        auto next = signed_names.find(';', pos);
        if (next == std::string::npos) next = signed_names.size();
        auto name = signed_names.substr(pos, next - pos);
        for (const auto& [k, val] : request.headers) {
            if (lower(k) == name) subset.emplace_back(k, val);
        }
        pos = next + 1;
    }
    SignableRequest copy{request.method, request.target, subset, request.body};
    AwsCredentials creds{std::string(expected_access_key_id), secret, {}};
    SigV4Params params{std::string(region), std::string(service), t, true, false, true};
    auto sig = sign_headers(copy, creds, params);
    if (sig.signature != signature) {
        v.reason = "The request signature we calculated does not match the signature you provided";
        return v;
    }
    v.valid = true;
    return v;
}

}  // namespace clarity::amazon
