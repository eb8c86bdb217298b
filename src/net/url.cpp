#include "clarity/net/url.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

namespace clarity::net {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::uint16_t default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

bool looks_secret(std::string_view name) {
    static constexpr std::array<std::string_view, 10> kFragments = {
        "token", "key",  "secret",     "password", "passwd",
        "sig",   "auth", "credential", "session",  "code"};
    std::string n = lower(name);
    return std::any_of(kFragments.begin(), kFragments.end(),
                       [&](std::string_view f) { return n.find(f) != std::string::npos; });
}

}  // namespace

std::string Url::authority() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != default_port(scheme)) h += ":" + std::to_string(port);
    return h;
}

std::string Url::to_string() const { return scheme + "://" + authority() + target; }

bool Url::is_loopback() const {
    if (lower(host) == "localhost") return true;
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(host, ec);
    return !ec && addr.is_loopback();
}

bool Url::is_ip_literal() const {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

Result<Url> parse_url(std::string_view text) {
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) {
        return make_error(ErrorKind::permanent, "malformed URL (" + parsed.error().message() +
                                                    "): expected scheme://host[:port]/path");
    }
    const auto& u = *parsed;
    Url out;
    out.scheme = lower(u.scheme());
    if (out.scheme != "http" && out.scheme != "https") {
        return make_error(ErrorKind::permanent,
                          "unsupported URL scheme '" + out.scheme + "': use http or https");
    }
    if (u.host_type() == boost::urls::host_type::ipv6) {
        std::string h(u.encoded_host());
        out.host = h.size() >= 2 ? h.substr(1, h.size() - 2) : h;
    } else {
        out.host = lower(std::string(u.host()));
    }
    if (out.host.empty()) return make_error(ErrorKind::permanent, "URL has no host");
    if (u.has_port()) {
        if (u.port().empty() || u.port_number() == 0) {
            return make_error(ErrorKind::permanent, "URL has an invalid port");
        }
        out.port = u.port_number();
    } else {
        out.port = default_port(out.scheme);
    }
    out.target = std::string(u.encoded_path());
    if (out.target.empty()) out.target = "/";
    if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
    if (u.has_userinfo()) out.userinfo = std::string(u.userinfo());
    return out;
}

std::string redact_url(std::string_view text) {
    auto parsed = parse_url(text);
    if (!parsed) return "<invalid url>";
    Url u = *parsed;
    std::string path = u.target.substr(0, u.target.find('?'));
    std::string out = u.scheme + "://" + u.authority() + path;
    auto q = u.target.find('?');
    if (q == std::string::npos) return out;
    std::string_view query(u.target);
    query.remove_prefix(q + 1);
    std::string rebuilt;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        auto eq = part.find('=');
        std::string_view name = part.substr(0, eq);
        if (!rebuilt.empty()) rebuilt += '&';
        if (eq != std::string_view::npos && looks_secret(name)) {
            rebuilt.append(name);
            rebuilt += "=***";
        } else {
            rebuilt.append(part);
        }
    }
    return out + "?" + rebuilt;
}

Result<std::string> resolve_url(std::string_view base, std::string_view reference) {
    auto b = boost::urls::parse_uri(base);
    if (!b) return make_error(ErrorKind::permanent, "malformed base URL");
    auto r = boost::urls::parse_uri_reference(reference);
    if (!r) return make_error(ErrorKind::permanent, "malformed redirect location");
    boost::urls::url dest;
    auto rv = boost::urls::resolve(*b, *r, dest);
    if (!rv) return make_error(ErrorKind::permanent, "cannot resolve redirect location");
    dest.remove_fragment();
    return std::string(dest.buffer());
}

}  // namespace clarity::net
