#pragma once
// POST /hooks/odoo/<connection>?secret=…: Odoo's automation rules ("Send Webhook Notification",
// Odoo 17+) telling the daemon that a record changed. One route per connection that has
// triggers.odoo.webhook_secret; it only enqueues (the job reads Odoo anew) and answers at once.

#include "clarity/core/metrics.hpp"
#include "clarity/net/http_server.hpp"
#include "settings.hpp"

namespace clarity::app {

class Wiring;

/// Answers: 202 (enqueued, or already enqueued), 401 (wrong or missing secret), 400 (not an
/// Odoo webhook body, or a model no flow watches), 413 (the admin server's body limit), 503 (the
/// connection's flows are not running yet, or the store failed: the watcher picks the change up).
/// Unknown connections have no route: 404.
void add_odoo_hook_routes(net::HttpServer& server,
                          Wiring& wiring,
                          const Settings& settings,
                          core::MetricsRegistry& metrics);

}  // namespace clarity::app
