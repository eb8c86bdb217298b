#pragma once
/// \file
/// A shipment (package) of an order: carrier, tracking, lines — for Odoo pickings ⇄ Amazon
/// confirmShipment / packages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clarity/model/timestamp.hpp"

namespace clarity::model {

struct ShipmentLine {
    std::string order_item_id;
    std::string sku;
    std::int64_t quantity = 0;
};

struct Shipment {
    std::string amazon_order_id;
    std::string marketplace_id;
    std::string package_reference_id;
    std::string carrier_code;  ///< Amazon carrier code ("UPS", "DHL", or "Other")
    std::string carrier_name;  ///< free text when carrier_code is "Other"
    std::string shipping_method;
    std::vector<std::string> tracking_numbers;
    std::optional<Timestamp> ship_date;
    std::string status;  ///< v2026 packageStatus.status when known
    std::vector<ShipmentLine> lines;
    std::optional<long long> odoo_picking_id;
    std::string odoo_picking_name;
};

}  // namespace clarity::model
