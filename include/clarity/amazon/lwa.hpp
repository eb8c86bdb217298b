#pragma once
/// \file
/// Login with Amazon: access tokens for SP-API calls. Refresh-token grant for seller calls,
/// client-credentials grant with a scope for grantless calls (notification destinations).
/// Tokens are cached until `refresh_margin` before expiry (1 h lifetime, NOTES.md §1.1);
/// concurrent callers share one refresh. `invalid_grant` / `invalid_client` are `auth` errors:
/// counted, logged, passed to the alert hook and reflected in is_healthy(), never retried in a
/// loop.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "clarity/core/clock.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/result.hpp"
#include "clarity/core/secret.hpp"
#include "clarity/net/http.hpp"

namespace clarity::amazon {

/// One cached access token with its expiry; pure logic on an injected Clock. Not thread-safe
/// (LwaTokenSource guards it).
class AccessTokenCache {
  public:
    AccessTokenCache(const Clock& clock, std::chrono::seconds refresh_margin)
        : clock_(&clock), margin_(refresh_margin) {}
    /// The token when it is still valid for longer than the margin.
    std::optional<Secret> get() const;
    /// Stores a token valid for `expires_in` from now.
    void store(Secret token, std::chrono::seconds expires_in);
    /// Forgets the token if it is still `rejected` (a newer token from a concurrent refresh stays).
    void invalidate(const Secret& rejected);
    /// Expiry of the cached token (time_point{} when none).
    Clock::time_point expires_at() const { return expires_at_; }

  private:
    const Clock* clock_;
    std::chrono::seconds margin_;
    std::optional<Secret> token_;
    Clock::time_point expires_at_{};
};

struct LwaOptions {
    std::string token_url = "https://api.amazon.com/auth/o2/token";
    std::string client_id;
    Secret client_secret;
    std::chrono::seconds refresh_margin{60};
    std::chrono::milliseconds timeout{15000};
};

/// Thread-safe. Lives as long as the connector.
class LwaTokenSource {
  public:
    LwaTokenSource(net::HttpClient& http,
                   const Clock& clock,
                   LwaOptions options,
                   core::MetricsRegistry* metrics = nullptr);
    ~LwaTokenSource();
    LwaTokenSource(const LwaTokenSource&) = delete;
    LwaTokenSource& operator=(const LwaTokenSource&) = delete;

    /// Access token for seller-authorised calls (refresh_token grant). Errors: auth
    /// (invalid_grant / invalid_client / unauthorized_client), transient, rate_limited.
    boost::asio::awaitable<Result<Secret>> seller_token(Secret refresh_token);
    /// Access token for grantless calls (client_credentials grant), e.g.
    /// scope "sellingpartnerapi::notifications".
    boost::asio::awaitable<Result<Secret>> grantless_token(std::string scope);
    /// Drops `rejected` from the cache (after a 401/403 token-expired answer).
    void invalidate(const Secret& rejected);

    /// False after an auth failure until the next successful token exchange (readiness).
    bool is_healthy() const;
    /// Called once per auth failure (alert hook). Set before use.
    void on_auth_failure(std::function<void(const Error&)> hook);
    /// Number of token requests sent to LWA (for tests and metrics).
    std::size_t exchanges() const;

    struct State;

  private:
    boost::asio::awaitable<Result<Secret>> token_for(std::string key, std::string form);
    std::shared_ptr<State> state_;
};

}  // namespace clarity::amazon
