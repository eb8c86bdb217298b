#include "clarity/amazon/lwa.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "clarity/core/log.hpp"
#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

namespace asio = boost::asio;

std::optional<Secret> AccessTokenCache::get() const {
    if (!token_ || clock_->now() + margin_ >= expires_at_) return std::nullopt;
    return token_;
}

void AccessTokenCache::store(Secret token, std::chrono::seconds expires_in) {
    token_ = std::move(token);
    expires_at_ = clock_->now() + expires_in;
}

void AccessTokenCache::invalidate(const Secret& rejected) {
    if (token_ && *token_ == rejected) {
        token_.reset();
        expires_at_ = {};
    }
}

struct Entry {
    explicit Entry(const Clock& clock, std::chrono::seconds margin) : cache(clock, margin) {}
    AccessTokenCache cache;
    bool refreshing = false;
    std::vector<std::shared_ptr<asio::steady_timer>> waiters;
    std::optional<Error> last_error;  // result of the refresh the waiters shared
    std::uint64_t generation = 0;
};

struct LwaTokenSource::State {
    net::HttpClient* http;
    const Clock* clock;
    LwaOptions options;
    core::MetricsRegistry* metrics;
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<Entry>> entries;
    std::function<void(const Error&)> hook;
    std::atomic<bool> healthy{true};
    std::atomic<std::size_t> exchanges{0};
    std::shared_ptr<spdlog::logger> log = core::logger("amazon.lwa");

    Entry& entry(const std::string& key) {
        auto& e = entries[key];
        if (!e) e = std::make_unique<Entry>(*clock, options.refresh_margin);
        return *e;
    }
    void count(const std::string& outcome) {
        if (metrics != nullptr) {
            metrics
                ->counter("clarity_amazon_lwa_exchanges_total", "LWA token requests by outcome",
                          {{"outcome", outcome}})
                .inc();
        }
    }
};

namespace {

Error classify_lwa(const net::HttpResponse& r) {
    auto j = detail::parse_json(r.body);
    std::string code = j.is_object() ? detail::str(j, "error") : "";
    std::string desc = j.is_object() ? detail::str(j, "error_description") : "";
    Error e;
    e.http_status = r.status;
    e.context = "lwa token";
    e.request_id = std::string(r.header("x-amzn-RequestId").value_or(""));
    if (code == "invalid_grant" || code == "invalid_client" || code == "unauthorized_client" ||
        r.status == 401) {
        e.kind = ErrorKind::auth;
        e.message = "Login with Amazon refused the credentials (" +
                    (code.empty() ? std::string("HTTP ") + std::to_string(r.status) : code) +
                    (desc.empty() ? "" : ": " + desc) +
                    "); check lwa client id/secret (rotated?) and re-authorise the seller to get "
                    "a new refresh token";
    } else if (r.status == 429) {
        e.kind = ErrorKind::rate_limited;
        e.message = "Login with Amazon throttled the token request; retried later";
    } else if (r.status >= 500 || r.status == 408) {
        e.kind = ErrorKind::transient;
        e.message = "Login with Amazon is unavailable (HTTP " + std::to_string(r.status) + ")";
    } else {
        e.kind = ErrorKind::permanent;
        e.message = "Login with Amazon rejected the token request (HTTP " +
                    std::to_string(r.status) + (code.empty() ? "" : ", " + code) + ")";
    }
    return e;
}

}  // namespace

LwaTokenSource::LwaTokenSource(net::HttpClient& http,
                               const Clock& clock,
                               LwaOptions options,
                               core::MetricsRegistry* metrics)
    : state_(std::make_shared<State>()) {
    state_->http = &http;
    state_->clock = &clock;
    state_->options = std::move(options);
    state_->metrics = metrics;
}

LwaTokenSource::~LwaTokenSource() = default;

bool LwaTokenSource::is_healthy() const { return state_->healthy.load(); }

void LwaTokenSource::on_auth_failure(std::function<void(const Error&)> hook) {
    std::lock_guard lock(state_->mutex);
    state_->hook = std::move(hook);
}

std::size_t LwaTokenSource::exchanges() const { return state_->exchanges.load(); }

void LwaTokenSource::invalidate(const Secret& rejected) {
    std::lock_guard lock(state_->mutex);
    for (auto& [key, e] : state_->entries) e->cache.invalidate(rejected);
}

asio::awaitable<Result<Secret>> LwaTokenSource::seller_token(Secret refresh_token) {
    detail::QueryBuilder form;
    form.add("grant_type", "refresh_token");
    form.add("refresh_token", refresh_token.reveal());
    form.add("client_id", state_->options.client_id);
    form.add("client_secret", state_->options.client_secret.reveal());
    std::string key = "seller:" + refresh_token.reveal();
    std::string body = form.str();
    co_return co_await token_for(std::move(key), std::move(body));
}

asio::awaitable<Result<Secret>> LwaTokenSource::grantless_token(std::string scope) {
    detail::QueryBuilder form;
    form.add("grant_type", "client_credentials");
    form.add("scope", scope);
    form.add("client_id", state_->options.client_id);
    form.add("client_secret", state_->options.client_secret.reveal());
    std::string key = "scope:" + scope;
    std::string body = form.str();
    co_return co_await token_for(std::move(key), std::move(body));
}

asio::awaitable<Result<Secret>> LwaTokenSource::token_for(std::string key, std::string form) {
    auto state = state_;
    auto executor = co_await asio::this_coro::executor;
    for (;;) {
        std::shared_ptr<asio::steady_timer> waiter;
        std::uint64_t generation = 0;
        {
            std::lock_guard lock(state->mutex);
            auto& e = state->entry(key);
            if (auto t = e.cache.get()) co_return *t;
            if (e.refreshing) {
                waiter = std::make_shared<asio::steady_timer>(
                    executor, asio::steady_timer::time_point::max());
                e.waiters.push_back(waiter);
                generation = e.generation;
            } else {
                e.refreshing = true;
            }
        }
        if (waiter) {
            // Share the refresh in flight: wake when it finishes, then read its outcome.
            co_await waiter->async_wait(asio::as_tuple(asio::use_awaitable));
            std::lock_guard lock(state->mutex);
            auto& e = state->entry(key);
            if (auto t = e.cache.get()) co_return *t;
            if (e.generation != generation && e.last_error) co_return *e.last_error;
            continue;
        }

        net::HttpRequest req;
        req.method = "POST";
        req.url = state->options.token_url;
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"},
                       {"Accept", "application/json"}};
        req.body = std::move(form);
        req.timeout = state->options.timeout;
        state->exchanges.fetch_add(1);
        auto resp = co_await state->http->send(std::move(req));

        Result<Secret> outcome = make_error(ErrorKind::transient, "no LWA response");
        if (!resp) {
            outcome = resp.error();
            state->count("transport_error");
        } else if (resp->status == 200) {
            auto j = detail::parse_json(resp->body);
            auto token = j.is_object() ? detail::str(j, "access_token") : "";
            if (token.empty()) {
                outcome = make_error(ErrorKind::transient,
                                     "Login with Amazon answered 200 without an access_token",
                                     "lwa token");
                state->count("malformed");
            } else {
                outcome = Secret(token);
                state->count("ok");
            }
        } else {
            outcome = classify_lwa(*resp);
            state->count(outcome.error().kind == ErrorKind::auth ? "auth_error" : "error");
        }

        std::vector<std::shared_ptr<asio::steady_timer>> waiters;
        std::function<void(const Error&)> hook;
        {
            std::lock_guard lock(state->mutex);
            auto& e = state->entry(key);
            e.refreshing = false;
            ++e.generation;
            if (outcome) {
                auto j = detail::parse_json(resp->body);
                auto expires = detail::integer(j, "expires_in", 3600);
                e.cache.store(*outcome, std::chrono::seconds(expires));
                e.last_error.reset();
                state->healthy = true;
            } else {
                e.last_error = outcome.error();
                if (outcome.error().kind == ErrorKind::auth) {
                    state->healthy = false;
                    hook = state->hook;
                }
            }
            waiters.swap(e.waiters);
        }
        for (auto& w : waiters) {
            asio::post(w->get_executor(), [w] { w->cancel(); });
        }
        if (!outcome && outcome.error().kind == ErrorKind::unavailable) {
            // The amazon circuit is open: nothing was sent (network.md, circuit breakers).
            state->log->debug("LWA token exchange not sent: {}", outcome.error().describe());
        } else if (!outcome) {
            state->log->error("LWA token exchange failed: {}", outcome.error().describe());
            if (hook) hook(outcome.error());
        }
        co_return outcome;
    }
}

}  // namespace clarity::amazon
