#pragma once
// A flow's job as a table of named steps over one run struct (docs/architecture.md, "How to add a
// flow"): run_steps runs them in order, the job's cohort meeting between two steps, and stops at
// the first error or when a step finished the job (`run.done`).
#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "clarity/core/result.hpp"
#include "clarity/flows/flow.hpp"

namespace clarity::flows {

template <class Run, std::size_t N>
boost::asio::awaitable<Result<void>> run_steps(
    boost::asio::awaitable<Result<void>> (*const (&steps)[N])(Run*), Run& run, JobContext& ctx) {
    bool first = true;
    for (auto step : steps) {
        // With the jobs claimed together (a backlog, a burst): each step's Odoo calls go out
        // batched.
        if (!first) co_await step_together(ctx);
        first = false;
        auto done = co_await step(&run);
        if (!done || run.done) co_return done;
    }
    co_return Result<void>{};
}

}  // namespace clarity::flows
