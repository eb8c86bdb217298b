#include "order_import/steps.hpp"

// The ship-to country and state in Odoo, with what an unmatched state does (unmatched_state); the
// customer and the delivery address of the order (common/partners.hpp).

namespace clarity::flows::order_import {

namespace asio = boost::asio;

asio::awaitable<Result<void>> find_ship_to_country_and_state(OrderRun* run) {
    Impl& impl = *run->impl;
    const model::Order& o = run->order;
    if (!o.ship_to) co_return Result<void>{};
    auto find = find_address_place(&impl.deps.odoo, *o.ship_to);  // named: g++ 12
    auto found = co_await std::move(find);
    if (!found) co_return found.error();
    AddressPlace& place = run->place;
    place = std::move(*found);
    if (!place.unmatched.empty()) {
        if (impl.opt.unmatched_state == UnmatchedState::fail) {
            co_return run->dead_letter("unmatched_state",
                                       "order " + o.amazon_order_id + ": " + place.unmatched +
                                           ". Add the state in Odoo (Contacts > Configuration > "
                                           "States) or correct the address, " +
                                           replay_hint(*run->ctx) + ".");
        }
        impl.counter("clarity_order_unmatched_state_total",
                     "Orders imported without a state because Odoo has no matching one.")
            .inc();
        run->log.warn("{}; imported without a state", place.unmatched);
    }
    co_return Result<void>{};
}

asio::awaitable<Result<void>> upsert_customer_and_address(OrderRun* run) {
    Impl& impl = *run->impl;
    const model::Order& o = run->order;
    // The order's id (as Amazon gave it) names the order in the refusals.
    const std::string subject = "order " + o.amazon_order_id;
    auto upsert = impl.partners.upsert(  // named: g++ 12, temporaries in co_await
        amazon_customer(o.buyer, o.ship_to, o.amazon_order_id), o.ship_to, run->place,
        PartnerUpsert::Refusals{&impl.dead_letter, run->ctx, subject});
    auto ids = co_await std::move(upsert);
    if (!ids) co_return ids.error();
    run->partners = *ids;
    co_return Result<void>{};
}

}  // namespace clarity::flows::order_import
