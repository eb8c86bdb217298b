#pragma once
// How a flow gives up on a job: a permanent Error (the engine dead-letters it at once) whose
// message names the Amazon thing, says what happened and what a person does about it, and — where a
// replay can succeed after the fix — ends with the replay command. Every dead letter is counted by
// reason in the flow's own metric (`clarity_orders_failed_total{connection,reason}` for the order
// import).
#include <string>
#include <string_view>

#include "clarity/core/error.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/flows/flow.hpp"

namespace clarity::flows {

/// "then run `clarity-connect queue replay <job id>`": how to send the job again once fixed.
std::string replay_hint(const JobContext& ctx);

/// What Odoo refused, worded for the dead letter:
/// "<subject>: Odoo refused <what>: <Odoo's words>. <fix>, then run `clarity-connect queue
/// replay N`."
struct OdooRefusal {
    const JobContext& job;
    std::string subject;  ///< "order 028-1234567-1234567"
    std::string what;     ///< "the sale order", "to confirm sale order 7"
    std::string fix;      ///< "Fix the data it names"
};

/// What Odoo accepted but did not do (an action is never taken as done on Odoo's word alone: the
/// flow reads the record back), worded for the dead letter: "<subject>: Odoo accepted <action> on
/// <record> but the <noun> is in state '<state>' (or: gone) afterwards, not <expected>. <fix>, then
/// run `clarity-connect queue replay N`."
struct OdooUnchanged {
    const JobContext& job;
    std::string subject;   ///< "order 028-1234567-1234567"
    std::string action;    ///< "action_confirm"
    std::string record;    ///< "sale order 7"
    std::string noun;      ///< "order"
    std::string state;     ///< the state read back; empty: the record is gone
    std::string expected;  ///< "confirmed"
    std::string fix;       ///< "Confirm it in Odoo (Sales > Orders) to see what stops it, fix that"
};

/// The dead letters of one flow on one connection.
class DeadLetters {
  public:
    /// `metric`/`help`: the flow's failure counter (labels connection, reason); `context`: the
    /// Error's context ("flows.order_import").
    DeadLetters(core::MetricsRegistry& metrics,
                std::string connection,
                std::string metric,
                std::string help,
                std::string context);

    /// Counts one dead letter under `reason`; its permanent Error carries `message`.
    Error operator()(std::string_view reason, std::string message) const;

    /// Odoo refused → dead letter: a permanent `error` (Odoo refused the call: a constraint, an
    /// access rule, a value it does not take) becomes a dead letter counted under `odoo_refused`,
    /// worded as OdooRefusal says with Odoo's message. Any other kind is returned as it is: the
    /// engine retries it.
    Error odoo_refused(const Error& error, const OdooRefusal& refusal) const;
    /// The same for a refusal Odoo reports as data (a `load` answering messages instead of ids).
    Error odoo_refused(std::string_view odoo_says, const OdooRefusal& refusal) const;
    /// Odoo accepted an action but the record read back is not in its state: a dead letter
    /// counted under `odoo_unchanged`.
    Error odoo_unchanged(const OdooUnchanged& unchanged) const;

  private:
    core::MetricsRegistry& metrics_;
    std::string connection_, metric_, help_, context_;
};

}  // namespace clarity::flows
