#include "clarity/flows/cohort.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

namespace clarity::flows {

namespace asio = boost::asio;

struct Cohort::Impl {
    std::size_t members = 0;
    std::size_t generation = 0;                // steps released so far
    std::vector<asio::steady_timer*> waiting;  // the timers of the members that arrived

    // Everyone still running has arrived: they all go on.
    void release() {
        ++generation;
        auto released = std::move(waiting);
        waiting.clear();
        for (auto* t : released) t->cancel();
    }
};

Cohort::Cohort(std::size_t members) : impl_(std::make_unique<Impl>()) { impl_->members = members; }

Cohort::~Cohort() = default;

asio::awaitable<void> Cohort::step() {
    Impl& s = *impl_;
    if (s.waiting.size() + 1 >= s.members) {  // the last to arrive (or alone)
        s.release();
        co_return;
    }
    const std::size_t generation = s.generation;
    asio::steady_timer timer(co_await asio::this_coro::executor,
                             asio::steady_timer::time_point::max());
    s.waiting.push_back(&timer);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (s.generation == generation) {
        // Cancelled while waiting (not released): this member no longer waits here.
        s.waiting.erase(std::remove(s.waiting.begin(), s.waiting.end(), &timer), s.waiting.end());
    }
}

void Cohort::leave() {
    Impl& s = *impl_;
    if (s.members > 0) --s.members;
    if (!s.waiting.empty() && s.waiting.size() >= s.members) s.release();
}

std::size_t Cohort::members() const { return impl_->members; }

std::size_t Cohort::steps() const { return impl_->generation; }

}  // namespace clarity::flows
