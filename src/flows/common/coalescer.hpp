#pragma once
// Natural batching ("group commit") of one kind of Odoo call across the jobs running at once.
//
// A request goes out at once when no request of its kind is in flight (after one turn of the
// io_context, so that requests of the same turn join it); requests that arrive while one is in
// flight wait and then go out together, as one call, led by the first of them. Idle,
// nothing changes (one request, one call, no added latency); under load, N jobs that need the
// same kind of call share one round trip (issue #8: Odoo calls per order; Odoo has few workers).
//
// Single-threaded: every submit() runs on the same single-threaded io_context (the daemon's).
// A waiting request whose job is cancelled (deadline, shutdown) leaves the queue with a transient
// error; a leader that is cancelled fails its whole batch with a transient error (each job
// retries) and hands the lead to the next waiting request, so nobody waits forever.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_state.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/core/error.hpp"
#include "clarity/core/result.hpp"

// g++ 12 at -O2 reports a false -Wmaybe-uninitialized on the optional<double> alternative of
// Result<optional<double>> when an Error is stored in a batch's results inside this coroutine
// frame. This private header is included only by the flows layer and its unit test.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace clarity::flows {

template <class Req, class Res>
class Coalescer {
  public:
    /// Runs one batch: one result per request, in order.
    using BatchFn =
        std::function<boost::asio::awaitable<std::vector<Result<Res>>>(std::vector<Req>)>;

    Coalescer(std::string what, BatchFn fn, std::size_t max_batch)
        : what_(std::move(what)), fn_(std::move(fn)), max_(std::max<std::size_t>(1, max_batch)) {}

    boost::asio::awaitable<Result<Res>> submit(Req req) {
        namespace asio = boost::asio;
        auto slot = std::make_shared<Slot>(co_await asio::this_coro::executor);
        pending_.push_back(Entry{std::move(req), slot});
        if (!busy_) {
            busy_ = true;
            slot->lead = true;
            // One turn of the io_context before the call: jobs that a batch of another kind
            // just released run up to here and join (otherwise the first of them would go out
            // alone and the rest together). Idle, this costs one post, no wait.
            co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
        } else {
            co_await slot->timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        if (slot->result) co_return std::move(*slot->result);
        asio::cancellation_state state = co_await asio::this_coro::cancellation_state;
        const bool cancelled = state.cancelled() != asio::cancellation_type::none;
        if (!slot->lead || cancelled) {
            erase(slot);
            if (slot->lead) hand_off();
            co_return Error{ErrorKind::transient, what_ + ": the job was cancelled while waiting"};
        }
        // Lead one batch, this request first.
        erase(slot);  // our request moves into slot->own
        std::vector<Entry> batch;
        batch.push_back(Entry{std::move(slot->own), slot});
        while (batch.size() < max_ && !pending_.empty()) {
            batch.push_back(std::move(pending_.front()));
            pending_.pop_front();
        }
        std::vector<Req> reqs;
        reqs.reserve(batch.size());
        for (auto& e : batch) reqs.push_back(std::move(*e.req));
        ++batches_;
        requests_ += batch.size();
        std::vector<Result<Res>> results;
        try {
            // Named: g++ 12 double-frees temporaries with destructors inside co_await.
            boost::asio::awaitable<std::vector<Result<Res>>> call = fn_(std::move(reqs));
            results = co_await std::move(call);
        } catch (const std::exception& e) {
            results.clear();
            for (std::size_t i = 0; i < batch.size(); ++i) {
                results.push_back(Error{ErrorKind::transient, what_ + ": " + e.what()});
            }
        }
        if (results.size() != batch.size()) {
            results.assign(batch.size(),
                           Error{ErrorKind::transient,
                                 what_ + ": batch answered " + std::to_string(results.size()) +
                                     " results for " + std::to_string(batch.size())});
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            batch[i].slot->result = std::move(results[i]);
            if (batch[i].slot != slot) batch[i].slot->timer.cancel();
        }
        hand_off();
        co_return std::move(*slot->result);
    }

    /// Calls made and requests served (for tests and metrics).
    std::size_t batches() const { return batches_; }
    std::size_t requests() const { return requests_; }

  private:
    struct Slot {
        explicit Slot(const boost::asio::any_io_executor& ex) : timer(ex) {
            timer.expires_at(boost::asio::steady_timer::time_point::max());
        }
        boost::asio::steady_timer timer;
        bool lead = false;
        std::optional<Req> own;
        std::optional<Result<Res>> result;
    };
    struct Entry {
        std::optional<Req> req;
        std::shared_ptr<Slot> slot;
    };

    /// Removes `slot`'s entry from the queue, keeping its request in the slot.
    void erase(const std::shared_ptr<Slot>& slot) {
        auto it = std::find_if(pending_.begin(), pending_.end(),
                               [&](const Entry& e) { return e.slot == slot; });
        if (it == pending_.end()) return;
        slot->own = std::move(it->req);
        pending_.erase(it);
    }

    /// The next waiting request leads the next batch; with none waiting, the next submit leads.
    void hand_off() {
        if (pending_.empty()) {
            busy_ = false;
            return;
        }
        auto next = pending_.front().slot;
        next->lead = true;
        next->timer.cancel();
    }

    std::string what_;
    BatchFn fn_;
    std::size_t max_;
    std::deque<Entry> pending_;
    bool busy_ = false;
    std::size_t batches_ = 0, requests_ = 0;
};

}  // namespace clarity::flows
