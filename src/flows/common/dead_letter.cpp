#include "common/dead_letter.hpp"

#include <utility>

namespace clarity::flows {

std::string replay_hint(const JobContext& ctx) {
    return "then run `clarity-connect queue replay " + std::to_string(ctx.job.id) + "`";
}

DeadLetters::DeadLetters(core::MetricsRegistry& metrics,
                         std::string connection,
                         std::string metric,
                         std::string help,
                         std::string context)
    : metrics_(metrics),
      connection_(std::move(connection)),
      metric_(std::move(metric)),
      help_(std::move(help)),
      context_(std::move(context)) {}

Error DeadLetters::operator()(std::string_view reason, std::string message) const {
    metrics_.counter(metric_, help_, {{"connection", connection_}, {"reason", std::string(reason)}})
        .inc();
    return make_error(ErrorKind::permanent, std::move(message), context_);
}

Error DeadLetters::odoo_refused(const Error& error, const OdooRefusal& refusal) const {
    if (error.kind != ErrorKind::permanent) return error;
    return odoo_refused(error.message, refusal);
}

Error DeadLetters::odoo_refused(std::string_view odoo_says, const OdooRefusal& refusal) const {
    return (*this)("odoo_refused", refusal.subject + ": Odoo refused " + refusal.what + ": " +
                                       std::string(odoo_says) + ". " + refusal.fix + ", " +
                                       replay_hint(refusal.job) + ".");
}

Error DeadLetters::odoo_unchanged(const OdooUnchanged& u) const {
    const std::string now = u.state.empty() ? std::string("gone") : "in state '" + u.state + "'";
    return (*this)("odoo_unchanged", u.subject + ": Odoo accepted " + u.action + " on " + u.record +
                                         " but the " + u.noun + " is " + now + " afterwards, not " +
                                         u.expected + ". " + u.fix + ", " + replay_hint(u.job) +
                                         ".");
}

}  // namespace clarity::flows
