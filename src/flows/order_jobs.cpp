#include "clarity/flows/order_jobs.hpp"

#include <nlohmann/json.hpp>

#include "clarity/amazon/orders.hpp"
#include "clarity/model/timestamp.hpp"

namespace clarity::flows {

namespace {
constexpr std::string_view kNotAnOrderId =
    "is not an Amazon order id (3-7-7 digits, e.g. 123-1234567-1234567)";
}  // namespace

Result<std::string> order_job_key(const OrderJob& job) {
    if (job.amazon_order_id.empty()) {
        return make_error(ErrorKind::permanent, "an order job needs an Amazon order id",
                          "order_import");
    }
    if (!amazon::is_order_id(job.amazon_order_id)) {
        return make_error(
            ErrorKind::permanent,
            "'" + amazon::order_id_excerpt(job.amazon_order_id) + "' " + std::string(kNotAnOrderId),
            "order_import");
    }
    if (!job.change_time.empty()) {
        auto at = model::parse_timestamp(job.change_time);
        if (!at) {
            return make_error(ErrorKind::permanent,
                              "order " + job.amazon_order_id + ": change time '" + job.change_time +
                                  "' is not an ISO-8601 timestamp",
                              "order_import");
        }
        return job.amazon_order_id + "@" + std::to_string(at->time_since_epoch().count());
    }
    return job.amazon_order_id + "#" + job.source + ":" + job.reference;
}

Result<store::NewJob> make_order_job(const std::string& connection, const OrderJob& job) {
    auto key = order_job_key(job);
    if (!key) return key.error();
    nlohmann::json payload = {{"amazon_order_id", job.amazon_order_id},
                              {"marketplace_id", job.marketplace_id},
                              {"change_time", job.change_time},
                              {"source", job.source},
                              {"reference", job.reference},
                              {"status_hint", job.status_hint}};
    store::NewJob out;
    out.connection = connection;
    out.flow = std::string(kOrderImportFlow);
    out.idempotency_key = std::move(*key);
    out.entity_key = job.amazon_order_id;
    out.payload = payload.dump();
    return out;
}

Result<OrderJob> parse_order_job(std::string_view payload) {
    auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    auto bad = [&](std::string why) {
        return make_error(ErrorKind::permanent, "malformed order_import job payload: " + why,
                          "order_import");
    };
    if (!json.is_object()) return bad("not a JSON object");
    auto text = [&](const char* name) -> std::string {
        auto it = json.find(name);
        return it != json.end() && it->is_string() ? it->get<std::string>() : std::string{};
    };
    OrderJob job;
    job.amazon_order_id = text("amazon_order_id");
    if (job.amazon_order_id.empty()) return bad("no amazon_order_id");
    if (!amazon::is_order_id(job.amazon_order_id)) {
        return bad("amazon_order_id '" + amazon::order_id_excerpt(job.amazon_order_id) + "' " +
                   std::string(kNotAnOrderId));
    }
    job.marketplace_id = text("marketplace_id");
    job.change_time = text("change_time");
    job.source = text("source");
    job.reference = text("reference");
    job.status_hint = text("status_hint");
    return job;
}

}  // namespace clarity::flows
