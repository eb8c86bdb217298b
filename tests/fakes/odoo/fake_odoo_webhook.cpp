// The fake Odoo's automation rules "Send Webhook Notification" (FakeOdoo::add_webhook): the body
// Odoo 17+ posts (odoo/addons/base/models/ir_actions.py _run_action_webhook: the record's fields
// read with load=None, plus _action, _id and _model; keys sorted) and a plain blocking HTTP POST
// with Odoo's 1 s timeout, whose failure is only counted (Odoo logs "Webhook call failed").
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "odoo/fake_odoo.hpp"
#include "odoo/fake_odoo_state.hpp"

namespace clarity::fakes::odoo {

namespace {

/// POST `body` to `url` ("http://127.0.0.1:PORT/path?query"); true on a 2xx answer within 1 s.
bool post_json(const std::string& url, const std::string& body) {
    constexpr std::string_view kScheme = "http://";
    if (url.rfind(kScheme, 0) != 0) return false;
    const auto rest = url.substr(kScheme.size());
    const auto slash = rest.find('/');
    const auto host_port = rest.substr(0, slash);
    const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = host_port.rfind(':');
    const std::string host = host_port.substr(0, colon);
    const int port = colon == std::string::npos ? 80 : std::atoi(host_port.c_str() + colon + 1);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &a.sin_addr) != 1)
        return false;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    timeval tv{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        const std::string req = "POST " + target + " HTTP/1.1\r\nHost: " + host_port +
                                "\r\nUser-Agent: python-requests/2.31.0\r\nAccept: */*\r\n"
                                "Content-Type: application/json\r\nConnection: close\r\n"
                                "Content-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
            char buf[64];
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            ok = n >= 12 && buf[9] == '2';  // "HTTP/1.1 2xx"
        }
    }
    ::close(fd);
    return ok;
}

nlohmann::json to_json(const Value& v) {
    if (auto i = v.as_int()) return *i;
    if (auto d = v.as_double()) return *d;
    if (auto s = v.as_string()) return *s;
    if (v.is_bool()) return v.as_bool().value_or(false);
    if (const auto* a = v.as_array()) {
        // load=None: a many2one is its bare id.
        if (a->size() == 2 && (*a)[0].as_int() && (*a)[1].as_string()) return *(*a)[0].as_int();
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : *a) out.push_back(to_json(e));
        return out;
    }
    return nullptr;
}

}  // namespace

void FakeOdoo::State::queue_webhooks(const std::string& model,
                                     const std::vector<std::int64_t>& ids) {
    for (const auto& w : webhooks) {
        if (w.model != model) continue;
        for (auto id : ids) {
            if (!exists(model, id)) continue;
            nlohmann::json body{
                {"_action", "Send Webhook Notification(#" + std::to_string(w.action_id) + ")"},
                {"_id", id},
                {"_model", model},
                {"id", id}};
            const ModelDef& m = this->model(model);
            const Struct& row = table(model).at(id);
            for (const auto& f : w.fields) body[f] = to_json(get(model, row, field(m, f)));
            webhook_outbox.emplace_back(w.url, body.dump());
        }
    }
}

void FakeOdoo::add_webhook(const std::string& model,
                           const std::string& url,
                           std::vector<std::string> fields) {
    std::lock_guard lock(state_->mu);
    state_->webhooks.push_back(
        {model, url, std::move(fields), 450 + static_cast<int>(state_->webhooks.size())});
}

std::size_t FakeOdoo::webhook_failures() const {
    std::lock_guard lock(state_->mu);
    return state_->webhook_failures;
}

void FakeOdoo::send_webhooks() {
    std::vector<std::pair<std::string, std::string>> due;
    {
        std::lock_guard lock(state_->mu);
        due.swap(state_->webhook_outbox);
    }
    std::size_t failed = 0;
    for (const auto& [url, body] : due) failed += post_json(url, body) ? 0 : 1;
    if (failed == 0) return;
    std::lock_guard lock(state_->mu);
    state_->webhook_failures += failed;
}

}  // namespace clarity::fakes::odoo
