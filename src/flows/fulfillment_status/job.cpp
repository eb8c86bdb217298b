#include <nlohmann/json.hpp>

#include "common/steps.hpp"
#include "fulfillment_status/steps.hpp"

// One delivery job, as docs/shipments.md "What one job does" describes it: the steps in order,
// each named after the Odoo or Amazon calls it makes (steps.hpp lists them with their calls).

namespace clarity::flows::fulfillment_status {

namespace asio = boost::asio;

namespace {

constexpr Step kSteps[] = {
    skip_confirmed_delivery,  // store: every shipment of the delivery already confirmed
    read_delivery_from_odoo,  // stock.picking read: a done delivery of a sale order?
    read_shipped_lines,       // stock.move read; each sale line's Amazon order item (store)
    wait_for_tracking,        // no tracking number yet (require_tracking): wait
    split_into_shipments,     // stock.move.line search_read when packed: one per package?
    map_carrier,              // shipment_confirm template: carrier code, method, items
    confirm_on_amazon,        // confirmShipment each shipment not yet confirmed; recorded
};

/// What a payload written by shipment_job_payload() or cancellation_job_payload() names.
struct Payload {
    std::int64_t picking = 0;
    std::int64_t sale_order = 0;
};

Result<Payload> parse_payload(const std::string& payload) {
    auto j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
        for (const char* key : {"picking", "sale_order"}) {
            auto it = j.find(key);
            if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0) continue;
            Payload p;
            (std::string_view(key) == "picking" ? p.picking : p.sale_order) =
                it->get<std::int64_t>();
            return p;
        }
    }
    return make_error(
        ErrorKind::permanent,
        "the job's payload names no delivery nor sale order (expected {\"picking\": "
        "<id>} or {\"sale_order\": <id>}); it was not written by this daemon: purge it",
        "flows.fulfillment_status");
}

}  // namespace

ShipmentRun::ShipmentRun(std::shared_ptr<Impl> i, JobContext* c, std::int64_t p)
    : impl(std::move(i)),
      ctx(c),
      picking(p),
      log(impl->log.with(
          {std::to_string(c->job.id), c->job.flow, c->job.connection, c->job.entity_key, {}})) {}

std::string ShipmentRun::subject() const {
    std::string s = "delivery " + (name.empty() ? std::to_string(picking) : name);
    if (!order_id.empty()) s += " of order " + order_id;
    return s;
}

asio::awaitable<Result<void>> run_job(std::shared_ptr<Impl> impl, JobContext* ctx) {
    auto payload = parse_payload(ctx->job.payload);
    if (!payload) co_return payload.error();
    auto prepared = co_await prepare_flow(impl);
    if (!prepared) co_return prepared.error();
    if (payload->sale_order != 0) {
        co_return co_await run_cancellation(std::move(impl), ctx, payload->sale_order);
    }
    ShipmentRun run(std::move(impl), ctx, payload->picking);
    co_return co_await run_steps(kSteps, run, *ctx);
}

}  // namespace clarity::flows::fulfillment_status
