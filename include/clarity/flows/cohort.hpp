#pragma once
/// \file
/// Jobs of one flow claimed together and run step by step together (a cohort), so that each step's
/// Odoo calls of all of them go out as one batched call (flows/common/coalescer.hpp). Without it,
/// jobs that started together drift apart (Amazon answers at different times, a rate-limited
/// bucket hands out one token every two seconds) and a backlog goes to Odoo one order at a time.
///
/// The engine makes one Cohort per claim of a flow whose FlowSettings::cohort is above 1, hands it
/// to each job's JobContext, and calls leave() when a job's run ends, however it ends. A flow calls
/// step_together() between its steps. Single-threaded: everything runs on the engine's executor.

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>

namespace clarity::flows {

class Cohort {
  public:
    explicit Cohort(std::size_t members);
    ~Cohort();
    Cohort(const Cohort&) = delete;
    Cohort& operator=(const Cohort&) = delete;

    /// Waits until every member still running has arrived here too (or left), then all go on in
    /// the same turn of the executor. A cohort of one goes on at once. A member cancelled while it
    /// waits (deadline, shutdown) stops waiting; the others are not held up by it once it left.
    boost::asio::awaitable<void> step();
    /// A member's run ended: it no longer holds up the others.
    void leave();

    std::size_t members() const;  ///< still running
    std::size_t steps() const;    ///< steps the cohort went through together

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace clarity::flows
