// The fake Odoo's ORM: model definitions per version, records, domains, x2many commands,
// constraints and the business methods the flows call. Behaviour and messages follow
// ../shared/reference/odoo/NOTES.md and the captures (captures-18|19).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <tuple>

#include "odoo/fake_odoo_state.hpp"

namespace clarity::fakes::odoo {

namespace {

FieldDef F(std::string name, std::string type, std::string label) {
    FieldDef f;
    f.name = std::move(name);
    f.type = std::move(type);
    f.label = std::move(label);
    return f;
}
FieldDef M2O(std::string name, std::string relation, std::string label) {
    FieldDef f = F(std::move(name), "many2one", std::move(label));
    f.relation = std::move(relation);
    return f;
}
FieldDef O2M(std::string name, std::string relation, std::string inverse, std::string label) {
    FieldDef f = F(std::move(name), "one2many", std::move(label));
    f.relation = std::move(relation);
    f.inverse = std::move(inverse);
    return f;
}
FieldDef M2M(std::string name, std::string relation, std::string label) {
    FieldDef f = F(std::move(name), "many2many", std::move(label));
    f.relation = std::move(relation);
    return f;
}
FieldDef SEL(std::string name,
             std::vector<std::pair<std::string, std::string>> sel,
             std::string label) {
    FieldDef f = F(std::move(name), "selection", std::move(label));
    f.selection = std::move(sel);
    return f;
}
FieldDef with(FieldDef f, Value def, bool required = false, bool readonly = false) {
    f.def = std::move(def);
    f.required = required;
    f.readonly = readonly;
    return f;
}
FieldDef computed(FieldDef f) {
    f.computed = true;
    f.readonly = true;
    return f;
}
FieldDef only(FieldDef f, int min_major, int max_major) {
    f.min_major = min_major;
    f.max_major = max_major;
    return f;
}

void add_model(std::map<std::string, ModelDef>& defs,
               std::string name,
               std::string description,
               std::vector<FieldDef> fields) {
    ModelDef m;
    m.name = name;
    m.description = std::move(description);
    fields.insert(fields.begin(), computed(F("display_name", "char", "Display Name")));
    fields.insert(fields.begin(), computed(F("id", "integer", "ID")));
    fields.push_back(computed(F("create_date", "datetime", "Created on")));
    fields.push_back(computed(F("write_date", "datetime", "Last Updated on")));
    m.fields = std::move(fields);
    defs.emplace(std::move(name), std::move(m));
}

std::map<std::string, ModelDef> build_defs() {
    using Sel = std::vector<std::pair<std::string, std::string>>;
    std::map<std::string, ModelDef> d;
    add_model(
        d, "res.partner", "Contact",
        {F("name", "char", "Name"),
         only(with(SEL("type",
                       Sel{{"contact", "Contact"},
                           {"invoice", "Invoice Address"},
                           {"delivery", "Delivery Address"},
                           {"other", "Other Address"}},
                       "Address Type"),
                   "contact"),
              16, 18),
         // 19 shortened the labels (seen on a real 19, tests/data/odoo/jsonrpc-19.json).
         only(with(SEL("type",
                       Sel{{"contact", "Contact"},
                           {"invoice", "Invoice"},
                           {"delivery", "Delivery"},
                           {"other", "Other"}},
                       "Address Type"),
                   "contact"),
              19, 99),
         M2O("parent_id", "res.partner", "Related Company"),
         O2M("child_ids", "res.partner", "parent_id", "Contact"),
         computed(M2O("commercial_partner_id", "res.partner", "Commercial Entity")),
         F("email", "char", "Email"), F("phone", "char", "Phone"), F("street", "char", "Street"),
         F("street2", "char", "Street2"), F("city", "char", "City"), F("zip", "char", "Zip"),
         M2O("country_id", "res.country", "Country"), M2O("state_id", "res.country.state", "State"),
         F("ref", "char", "Reference"), F("vat", "char", "Tax ID"),
         with(F("active", "boolean", "Active"), true)});
    add_model(d, "res.country", "Country",
              {with(F("name", "char", "Country Name"), Value{}, true),
               F("code", "char", "Country Code")});
    add_model(d, "res.country.state", "Country state",
              {with(F("name", "char", "State Name"), Value{}, true),
               with(F("code", "char", "State Code"), Value{}, true),
               with(M2O("country_id", "res.country", "Country"), Value{}, true)});
    add_model(d, "res.currency", "Currency",
              {with(F("name", "char", "Currency"), Value{}, true), F("symbol", "char", "Symbol"),
               with(F("active", "boolean", "Active"), true)});
    // Pricelists (product module, 16-19): a sale order's pricelist sets its currency.
    add_model(d, "product.pricelist", "Pricelist",
              {with(F("name", "char", "Pricelist Name"), Value{}, true),
               with(M2O("currency_id", "res.currency", "Currency"), Value{}, true),
               with(F("active", "boolean", "Active"), true)});
    // tax_calculation_rounding_method: Odoo rounds each line's tax (round_per_line) or the sum
    // of the order's unrounded taxes (round_globally); NOTES.md §9 "tax rounding default".
    add_model(
        d, "res.company", "Companies",
        {with(F("name", "char", "Company Name"), Value{}, true),
         with(M2O("currency_id", "res.currency", "Currency"), 1, true),
         with(SEL("tax_calculation_rounding_method",
                  Sel{{"round_per_line", "Round per Line"}, {"round_globally", "Round Globally"}},
                  "Tax Calculation Rounding Method"),
              "round_per_line")});
    add_model(d, "res.users", "User",
              {with(F("login", "char", "Login"), Value{}, true), F("name", "char", "Name"),
               M2O("partner_id", "res.partner", "Related Partner"),
               only(M2M("groups_id", "res.groups", "Groups"), 16, 18),
               only(M2M("group_ids", "res.groups", "Groups"), 19, 99)});
    add_model(d, "uom.uom", "Product Unit of Measure",
              {with(F("name", "char", "Unit Name"), Value{}, true),
               with(F("active", "boolean", "Active"), true)});
    Sel type16{{"consu", "Consumable"}, {"service", "Service"}, {"product", "Storable Product"}};
    Sel type18{{"consu", "Goods"}, {"service", "Service"}, {"combo", "Combo"}};
    auto product_fields = [&](bool is_template) {
        std::vector<FieldDef> f{
            with(F("name", "char", "Name"), Value{}, is_template),
            F("default_code", "char", "Internal Reference"),
            F("barcode", "char", "Barcode"),
            with(F("list_price", "float", "Sales Price"), 1.0),
            only(with(SEL("detailed_type", type16, "Product Type"), "consu", true), 16, 17),
            only(computed(SEL("type", type16, "Type")), 16, 17),
            only(with(SEL("type", type18, "Product Type"), "consu", true), 18, 99),
            only(with(F("is_storable", "boolean", "Track Inventory"), false), 18, 99),
            with(F("sale_ok", "boolean", "Sales"), true),
            with(M2O("uom_id", "uom.uom", "Unit of Measure"), 1, true),
            with(SEL("invoice_policy",
                     Sel{{"order", "Ordered quantities"}, {"delivery", "Delivered quantities"}},
                     "Invoicing Policy"),
                 "order"),
            with(F("active", "boolean", "Active"), true),
            // Customer taxes: a sale line without taxes of its own gets these (16-19).
            M2M("taxes_id", "account.tax", "Sales Taxes"),
            computed(F("qty_available", "float", "Quantity On Hand")),
            computed(F("virtual_available", "float", "Forecasted Quantity")),
        };
        if (is_template) {
            f.push_back(
                O2M("product_variant_ids", "product.product", "product_tmpl_id", "Products"));
        } else {
            f.push_back(M2O("product_tmpl_id", "product.template", "Product Template"));
        }
        return f;
    };
    add_model(d, "product.template", "Product", product_fields(true));
    add_model(d, "product.product", "Product Variant", product_fields(false));
    add_model(
        d, "account.tax", "Tax",
        {with(F("name", "char", "Tax Name"), Value{}, true),
         with(F("amount", "float", "Amount"), 0.0),
         with(SEL("type_tax_use",
                  Sel{{"sale", "Sales"}, {"purchase", "Purchases"}, {"none", "None"}}, "Tax Type"),
              "sale"),
         with(F("price_include", "boolean", "Included in Price"), false),
         with(F("active", "boolean", "Active"), true)});
    Sel so16{{"draft", "Quotation"},
             {"sent", "Quotation Sent"},
             {"sale", "Sales Order"},
             {"done", "Locked"},
             {"cancel", "Cancelled"}};
    Sel so17{{"draft", "Quotation"},
             {"sent", "Quotation Sent"},
             {"sale", "Sales Order"},
             {"cancel", "Cancelled"}};
    add_model(d, "sale.order", "Sales Order",
              {F("name", "char", "Order Reference"),
               with(M2O("partner_id", "res.partner", "Customer"), Value{}, true),
               with(M2O("partner_invoice_id", "res.partner", "Invoice Address"), Value{}, true),
               with(M2O("partner_shipping_id", "res.partner", "Delivery Address"), Value{}, true),
               F("client_order_ref", "char", "Customer Reference"),
               F("origin", "char", "Source Document"),
               with(F("date_order", "datetime", "Order Date"), Value{}, true),
               with(M2O("warehouse_id", "stock.warehouse", "Warehouse"), 1),
               O2M("order_line", "sale.order.line", "order_id", "Order Lines"),
               only(with(SEL("state", so16, "Status"), "draft", false, true), 16, 16),
               only(with(SEL("state", so17, "Status"), "draft", false, true), 17, 99),
               only(with(F("locked", "boolean", "Locked"), false), 17, 99),
               computed(F("amount_untaxed", "monetary", "Untaxed Amount")),
               computed(F("amount_tax", "monetary", "Taxes")),
               computed(F("amount_total", "monetary", "Total")),
               O2M("picking_ids", "stock.picking", "sale_id", "Transfers"),
               // The pricelist's currency, else the company's (sale/models/sale_order.py).
               M2O("pricelist_id", "product.pricelist", "Pricelist"),
               with(M2O("currency_id", "res.currency", "Currency"), 1),
               F("note", "html", "Terms and conditions"),
               F("commitment_date", "datetime", "Delivery Date"),
               // Studio field of the default order_import template (config/mapping/).
               SEL("x_studio_amazon_order_type",
                   Sel{{"standard", "Standard"},
                       {"long_lead_time", "Long lead time"},
                       {"preorder", "Preorder"},
                       {"backorder", "Backorder"},
                       {"sourcing_on_demand", "Sourcing on demand"}},
                   "Amazon Order Type")});
    add_model(d, "sale.order.line", "Sales Order Line",
              {with(M2O("order_id", "sale.order", "Order Reference"), Value{}, true),
               M2O("product_id", "product.product", "Product"),
               with(F("name", "text", "Description"), Value{}, true),
               with(F("product_uom_qty", "float", "Quantity"), 1.0, true),
               with(F("price_unit", "float", "Unit Price"), Value{}, true),
               with(F("discount", "float", "Discount (%)"), 0.0),
               only(M2M("tax_id", "account.tax", "Taxes"), 16, 18),
               only(M2M("tax_ids", "account.tax", "Taxes"), 19, 99),
               only(M2O("product_uom", "uom.uom", "Unit of Measure"), 16, 18),
               only(M2O("product_uom_id", "uom.uom", "Unit"), 19, 99),
               with(F("qty_delivered", "float", "Delivery Quantity"), 0.0),
               computed(F("price_subtotal", "monetary", "Subtotal")),
               computed(F("price_tax", "float", "Total Tax")),
               computed(F("price_total", "monetary", "Total")),
               SEL("display_type", Sel{{"line_section", "Section"}, {"line_note", "Note"}},
                   "Display Type"),
               // Studio fields of the default order_import template (config/mapping/).
               F("x_studio_gift_message", "text", "Gift Message"),
               F("x_studio_personalization", "text", "Personalization")});
    // 16–18: the cancellation wizard (sale/wizard/sale_order_cancel.py) and the chatter messages
    // its "Send and cancel" posts to the customer.
    add_model(d, "sale.order.cancel", "Sales Order Cancel",
              {with(M2O("order_id", "sale.order", "Sale Order"), Value{}, true),
               F("template_id", "integer", "Use template"), F("subject", "char", "Subject"),
               F("body", "html", "Contents")});
    add_model(d, "mail.message", "Message",
              {F("model", "char", "Related Document Model"),
               F("res_id", "many2one_reference", "Related Document ID"),
               F("subject", "char", "Subject"), F("body", "html", "Contents"),
               F("message_type", "char", "Type"), M2M("partner_ids", "res.partner", "Recipients")});
    add_model(d, "stock.warehouse", "Warehouse",
              {with(F("name", "char", "Warehouse"), Value{}, true),
               with(F("code", "char", "Short Name"), Value{}, true),
               M2O("lot_stock_id", "stock.location", "Location Stock")});
    add_model(d, "stock.location", "Inventory Locations",
              {with(F("name", "char", "Location Name"), Value{}, true),
               F("complete_name", "char", "Full Location Name"),
               with(SEL("usage",
                        Sel{{"supplier", "Vendor"},
                            {"view", "Virtual"},
                            {"internal", "Internal"},
                            {"customer", "Customer"},
                            {"inventory", "Inventory Loss"},
                            {"production", "Production"},
                            {"transit", "Transit"}},
                        "Location Type"),
                    "internal", true)});
    add_model(d, "stock.quant", "Quants",
              {with(M2O("product_id", "product.product", "Product"), Value{}, true),
               with(M2O("location_id", "stock.location", "Location"), Value{}, true),
               with(F("quantity", "float", "Quantity"), 0.0),
               with(F("reserved_quantity", "float", "Reserved Quantity"), 0.0),
               computed(F("available_quantity", "float", "Available Quantity")),
               with(F("inventory_quantity", "float", "Counted Quantity"), 0.0),
               M2O("lot_id", "stock.lot", "Lot/Serial Number")});
    Sel picking_states{{"draft", "Draft"},       {"waiting", "Waiting Another Operation"},
                       {"confirmed", "Waiting"}, {"assigned", "Ready"},
                       {"done", "Done"},         {"cancel", "Cancelled"}};
    add_model(d, "stock.picking", "Transfer",
              {F("name", "char", "Reference"),
               with(SEL("state", picking_states, "Status"), "draft", false, true),
               M2O("partner_id", "res.partner", "Contact"), F("origin", "char", "Source Document"),
               M2O("sale_id", "sale.order", "Sales Order"),
               O2M("move_ids", "stock.move", "picking_id", "Stock Moves"),
               F("carrier_tracking_ref", "char", "Tracking Reference"),
               with(SEL("picking_type_code",
                        Sel{{"incoming", "Receipt"},
                            {"outgoing", "Delivery"},
                            {"internal", "Internal Transfer"}},
                        "Type of Operation"),
                    "outgoing"),
               F("date_done", "datetime", "Date of Transfer"),
               M2O("backorder_id", "stock.picking", "Back Order of"),
               M2O("location_id", "stock.location", "Source Location"),
               M2O("location_dest_id", "stock.location", "Destination Location"),
               // stock_delivery (delivery on 16), installed with carrier_tracking_ref.
               M2O("carrier_id", "delivery.carrier", "Carrier"),
               O2M("move_line_ids", "stock.move.line", "picking_id", "Operations"),
               computed(F("has_packages", "boolean", "Has Packages"))});
    add_model(d, "delivery.carrier", "Shipping Methods",
              {with(F("name", "char", "Delivery Method"), Value{}, true),
               // Required in Odoo (the delivery product); the flows only read the name.
               M2O("product_id", "product.product", "Delivery Product"),
               with(F("active", "boolean", "Active"), true)});
    // stock.package on 19; the flows only read move lines' result_package_id.
    add_model(d, "stock.quant.package", "Packages", {F("name", "char", "Package Reference")});
    add_model(d, "stock.move.line", "Product Moves (Stock Move Line)",
              {M2O("picking_id", "stock.picking", "Transfer"),
               M2O("move_id", "stock.move", "Stock Operation"),
               with(M2O("product_id", "product.product", "Product"), Value{}, true),
               only(with(F("qty_done", "float", "Quantity Done"), 0.0), 16, 16),
               only(with(F("quantity", "float", "Quantity"), 0.0), 17, 99),
               M2O("result_package_id", "stock.quant.package", "Destination Package")});
    add_model(d, "stock.move", "Stock Move",
              {M2O("picking_id", "stock.picking", "Transfer"),
               with(M2O("product_id", "product.product", "Product"), Value{}, true),
               F("name", "char", "Description"), with(F("product_uom_qty", "float", "Demand"), 0.0),
               only(with(F("quantity_done", "float", "Quantity Done"), 0.0), 16, 16),
               only(with(F("quantity", "float", "Quantity"), 0.0), 17, 99),
               only(with(F("picked", "boolean", "Picked"), false), 17, 99),
               with(SEL("state", picking_states, "Status"), "draft", false, true),
               M2O("sale_line_id", "sale.order.line", "Sale Line"),
               M2O("location_id", "stock.location", "Source Location"),
               M2O("location_dest_id", "stock.location", "Destination Location")});
    add_model(d, "account.journal", "Journal",
              {with(F("name", "char", "Journal Name"), Value{}, true),
               with(SEL("type",
                        Sel{{"sale", "Sales"},
                            {"purchase", "Purchase"},
                            {"cash", "Cash"},
                            {"bank", "Bank"},
                            {"general", "Miscellaneous"}},
                        "Type"),
                    Value{}, true),
               with(F("code", "char", "Short Code"), Value{}, true)});
    add_model(d, "account.account", "Account",
              {with(F("code", "char", "Code"), Value{}, true),
               with(F("name", "char", "Account Name"), Value{}, true),
               with(SEL("account_type",
                        Sel{{"asset_receivable", "Receivable"},
                            {"asset_cash", "Bank and Cash"},
                            {"asset_current", "Current Assets"},
                            {"liability_payable", "Payable"},
                            {"liability_current", "Current Liabilities"},
                            {"income", "Income"},
                            {"expense", "Expenses"},
                            {"equity", "Equity"}},
                        "Type"),
                    Value{}, true)});
    add_model(
        d, "account.move", "Journal Entry",
        {F("name", "char", "Number"),
         with(SEL("move_type",
                  Sel{{"entry", "Journal Entry"},
                      {"out_invoice", "Customer Invoice"},
                      {"out_refund", "Customer Credit Note"},
                      {"in_invoice", "Vendor Bill"},
                      {"in_refund", "Vendor Credit Note"}},
                  "Type"),
              "entry", true),
         with(M2O("journal_id", "account.journal", "Journal"), Value{}, true),
         with(F("date", "date", "Date"), Value{}, true), F("ref", "char", "Reference"),
         with(SEL("state", Sel{{"draft", "Draft"}, {"posted", "Posted"}, {"cancel", "Cancelled"}},
                  "Status"),
              "draft", true, true),
         O2M("line_ids", "account.move.line", "move_id", "Journal Items"),
         M2O("partner_id", "res.partner", "Partner"),
         computed(F("amount_total", "monetary", "Total"))});
    add_model(d, "account.move.line", "Journal Item",
              {with(M2O("move_id", "account.move", "Journal Entry"), Value{}, true),
               with(M2O("account_id", "account.account", "Account"), Value{}, true),
               F("name", "char", "Label"), with(F("debit", "monetary", "Debit"), 0.0),
               with(F("credit", "monetary", "Credit"), 0.0),
               M2O("partner_id", "res.partner", "Partner")});
    add_model(d, "account.payment", "Payments",
              {with(SEL("payment_type", Sel{{"outbound", "Send"}, {"inbound", "Receive"}},
                        "Payment Type"),
                    Value{}, true),
               with(SEL("partner_type", Sel{{"customer", "Customer"}, {"supplier", "Vendor"}},
                        "Partner Type"),
                    Value{}, true),
               M2O("partner_id", "res.partner", "Customer/Vendor"),
               with(F("amount", "monetary", "Amount"), 0.0),
               with(M2O("journal_id", "account.journal", "Journal"), Value{}, true),
               with(F("date", "date", "Date"), Value{}, true),
               only(F("ref", "char", "Reference"), 16, 17), only(F("memo", "char", "Memo"), 18, 99),
               F("payment_reference", "char", "Payment Reference"),
               only(with(SEL("state",
                             Sel{{"draft", "Draft"}, {"posted", "Posted"}, {"cancel", "Cancelled"}},
                             "Status"),
                         "draft", true, true),
                    16, 17),
               only(with(SEL("state",
                             Sel{{"draft", "Draft"},
                                 {"in_process", "In Process"},
                                 {"paid", "Paid"},
                                 {"canceled", "Canceled"},
                                 {"rejected", "Rejected"}},
                             "Status"),
                         "draft", true),
                    18, 99),
               M2O("move_id", "account.move", "Journal Entry"),
               with(F("is_reconciled", "boolean", "Is Reconciled"), false)});
    add_model(
        d, "ir.model", "Models",
        {with(F("model", "char", "Model"), Value{}, true), F("name", "char", "Model Description")});
    add_model(d, "mail.activity.type", "Activity Type", {F("name", "char", "Name")});
    // Required as in Odoo: the document (res_model_id, res_id); the type, the user and the due
    // date have defaults (To Do, the caller, today).
    add_model(d, "mail.activity", "Activity",
              {with(M2O("res_model_id", "ir.model", "Document Model"), Value{}, true),
               with(F("res_id", "many2one_reference", "Related Document ID"), Value{}, true),
               F("summary", "char", "Summary"), F("note", "html", "Note"),
               with(M2O("activity_type_id", "mail.activity.type", "Activity Type"), 4),
               with(M2O("user_id", "res.users", "Assigned to"), 2),
               F("date_deadline", "date", "Due Date")});
    add_model(d, "ir.model.data", "Model Data",
              {with(F("module", "char", "Module"), Value{}, true),
               with(F("name", "char", "External Identifier"), Value{}, true),
               with(F("model", "char", "Model Name"), Value{}, true),
               F("res_id", "many2one_reference", "Record ID"),
               with(F("noupdate", "boolean", "Non Updatable"), false),
               computed(F("complete_name", "char", "Complete ID"))});
    return d;
}

}  // namespace

const FieldDef* ModelDef::find(std::string_view field, int major) const {
    for (const auto& f : fields) {
        if (f.name == field && major >= f.min_major && major <= f.max_major) return &f;
    }
    return nullptr;
}

std::vector<const FieldDef*> ModelDef::visible(int major) const {
    std::vector<const FieldDef*> out;
    for (const auto& f : fields) {
        if (major >= f.min_major && major <= f.max_major) out.push_back(&f);
    }
    return out;
}

FakeOdoo::State::State(FakeOdooOptions o)
    : opt(std::move(o)), major(opt.major), defs(build_defs()) {
    users.emplace(2, User{2, opt.admin_login, opt.admin_password, {}});
    keys.emplace(opt.admin_api_key, 2);
    Struct admin_partner{{"name", "Administrator"}};
    insert_raw("res.partner", 3, admin_partner);
    insert_raw("res.users", 2,
               Struct{{"login", opt.admin_login}, {"name", "Administrator"}, {"partner_id", 3}});
    if (opt.seed) seed();
}

void FakeOdoo::State::touch(const std::string& model, std::int64_t id) {
    note_change(model, id);
    if (!journaling) return;
    auto& rows = undo[model];
    if (rows.count(id) != 0) return;
    auto t = tables.find(model);
    if (t != tables.end()) {
        if (auto r = t->second.find(id); r != t->second.end()) {
            rows.emplace(id, r->second);
            return;
        }
    }
    rows.emplace(id, std::nullopt);
}

void FakeOdoo::State::roll_back() {
    for (auto& [model, rows] : undo) {
        auto& t = tables[model];
        for (auto& [id, old] : rows) {
            note_change(model, id);
            if (old) {
                t[id] = std::move(*old);
            } else {
                t.erase(id);
            }
        }
    }
    undo.clear();
}

namespace {
/// The index key of a stored value: ids (and many2one pairs) and strings; nullopt for the rest.
std::optional<std::string> index_key(const Value& v) {
    if (auto id = v.m2o_id()) return "i" + std::to_string(*id);
    if (auto text = v.as_string()) return "s" + *text;
    return std::nullopt;
}
}  // namespace

void FakeOdoo::State::note_change(const std::string& model, std::int64_t id) const {
    auto it = indexes_of_model.find(model);
    if (it == indexes_of_model.end()) return;
    for (FieldIndex* index : it->second) index->pending.push_back(id);
}

void FakeOdoo::State::note_journaled_changes() const {
    for (const auto& [model, rows] : undo) {
        for (const auto& [id, old] : rows) note_change(model, id);
    }
}

std::vector<std::int64_t> FakeOdoo::State::ids_where(const std::string& model,
                                                     const std::string& field,
                                                     const Value& key) const {
    std::vector<std::int64_t> out;
    const auto wanted = index_key(key);
    if (!wanted) return out;
    const Table& rows = table(model);
    auto [slot, built] = indexes.try_emplace({model, field});
    FieldIndex& index = slot->second;
    auto add = [&index, &field](std::int64_t id, const Struct& row) {
        auto v = row.find(field);
        if (v == row.end()) return;
        if (auto k = index_key(v->second)) index.ids_by_key[*k].insert(id);
    };
    if (built) {
        indexes_of_model[model].push_back(&index);
        for (const auto& [id, row] : rows) add(id, row);
    } else {
        for (auto id : index.pending) {
            if (auto r = rows.find(id); r != rows.end()) add(id, r->second);
        }
    }
    index.pending.clear();
    auto hit = index.ids_by_key.find(*wanted);
    if (hit == index.ids_by_key.end()) return out;
    for (auto id : hit->second) {
        auto r = rows.find(id);
        if (r == rows.end()) continue;
        auto v = r->second.find(field);
        if (v != r->second.end() && index_key(v->second) == wanted) out.push_back(id);
    }
    return out;
}

void FakeOdoo::State::insert_raw(const std::string& model, std::int64_t id, Struct vals) {
    vals.insert_or_assign("id", id);
    vals.emplace("create_date", now());
    vals.emplace("write_date", now());
    touch(model, id);
    tables[model][id] = std::move(vals);
    auto& next = next_ids[model];
    next = std::max(next, id + 1);
}

void FakeOdoo::State::seed() {
    // Every model the fake knows, as ir.model lists it (activities name their document's model).
    std::int64_t model_id = 0;
    for (const auto& [name, def] : defs)
        insert_raw("ir.model", ++model_id, Struct{{"model", name}, {"name", def.description}});
    insert_raw("mail.activity.type", 4, Struct{{"name", "To-Do"}});
    // Ids as in the captures where they appear (US = 233, California = 13, WH/Stock = 8, …).
    insert_raw("res.partner", 1, Struct{{"name", "My Company"}, {"country_id", 233}});
    // A new database's default: the generic chart leaves 19 rounding taxes globally (NOTES.md §9).
    std::string rounding = opt.tax_rounding;
    if (rounding.empty()) rounding = major >= 19 ? "round_globally" : "round_per_line";
    insert_raw("res.company", 1,
               Struct{{"name", "My Company"},
                      {"currency_id", 1},
                      {"tax_calculation_rounding_method", rounding}});
    insert_raw("res.country", 233, Struct{{"name", "United States"}, {"code", "US"}});
    insert_raw("res.country", 57, Struct{{"name", "Germany"}, {"code", "DE"}});
    insert_raw("res.country", 231, Struct{{"name", "United Kingdom"}, {"code", "GB"}});
    insert_raw("res.country", 38, Struct{{"name", "Canada"}, {"code", "CA"}});
    insert_raw("res.country.state", 13,
               Struct{{"name", "California"}, {"code", "CA"}, {"country_id", 233}});
    insert_raw("res.country.state", 44,
               Struct{{"name", "New York"}, {"code", "NY"}, {"country_id", 233}});
    insert_raw("res.country.state", 540,
               Struct{{"name", "Ontario"}, {"code", "ON"}, {"country_id", 38}});
    insert_raw("res.currency", 1, Struct{{"name", "USD"}, {"symbol", "$"}, {"active", true}});
    insert_raw("res.currency", 2, Struct{{"name", "EUR"}, {"symbol", "€"}, {"active", true}});
    insert_raw("res.currency", 3, Struct{{"name", "GBP"}, {"symbol", "£"}, {"active", true}});
    insert_raw("uom.uom", 1, Struct{{"name", "Units"}, {"active", true}});
    insert_raw("uom.uom", 2, Struct{{"name", "Dozens"}, {"active", true}});
    insert_raw("account.tax", 1,
               Struct{{"name", "15%"},
                      {"amount", 15.0},
                      {"type_tax_use", "sale"},
                      {"price_include", false},
                      {"active", true}});
    insert_raw("account.tax", 2,
               Struct{{"name", "0%"},
                      {"amount", 0.0},
                      {"type_tax_use", "sale"},
                      {"price_include", false},
                      {"active", true}});
    insert_raw(
        "stock.location", 5,
        Struct{
            {"name", "Customers"}, {"complete_name", "Partners/Customers"}, {"usage", "customer"}});
    insert_raw("stock.location", 8,
               Struct{{"name", "Stock"}, {"complete_name", "WH/Stock"}, {"usage", "internal"}});
    insert_raw("stock.location", 14,
               Struct{{"name", "Inventory adjustment"},
                      {"complete_name", "Virtual Locations/Inventory adjustment"},
                      {"usage", "inventory"}});
    insert_raw("stock.warehouse", 1,
               Struct{{"name", "My Company"}, {"code", "WH"}, {"lot_stock_id", 8}});
    // Journals and accounts as captured (captures-18/jsonrpc.json "journals", "accounts").
    const std::vector<std::tuple<int, const char*, const char*, const char*>> journals{
        {1, "Customer Invoices", "sale", "INV"},
        {2, "Vendor Bills", "purchase", "BILL"},
        {3, "Miscellaneous Operations", "general", "MISC"},
        {6, "Bank", "bank", "BNK1"},
        {7, "Cash", "cash", "CSH1"}};
    for (const auto& [id, name, type, code] : journals) {
        insert_raw("account.journal", id, Struct{{"name", name}, {"type", type}, {"code", code}});
    }
    const std::vector<std::tuple<int, const char*, const char*, const char*>> accounts{
        {1, "101000", "Current Assets", "asset_current"},
        {45, "101401", "Bank", "asset_cash"},
        {49, "101403", "Outstanding Receipts", "asset_current"},
        {5, "121000", "Account Receivable", "asset_receivable"},
        {20, "400000", "Product Sales", "income"},
        {30, "600000", "Expenses", "expense"}};
    for (const auto& [id, code, name, type] : accounts) {
        insert_raw("account.account", id,
                   Struct{{"code", code}, {"name", name}, {"account_type", type}});
    }
}

void FakeOdoo::add_european_base_data() {
    std::lock_guard lock(state_->mu);
    auto& st = *state_;
    const std::vector<std::tuple<int, const char*, const char*>> countries{
        {75, "France", "FR"}, {109, "Italy", "IT"}, {68, "Spain", "ES"}, {101, "Ireland", "IE"}};
    for (const auto& [id, name, code] : countries) {
        if (st.exists("res.country", id)) continue;
        st.insert_raw("res.country", id, Struct{{"name", name}, {"code", code}});
    }
    // A few of Odoo's European states (base data: GB counties with Odoo's own codes, German
    // Länder, Italian and Spanish provinces, Irish counties; France has none).
    const std::vector<std::tuple<int, const char*, const char*, int>> states{
        {1001, "London", "Q1", 231},        {1002, "Kent", "O5", 231},
        {1003, "West Midlands", "X3", 231}, {1004, "Bayern", "DE-BY", 57},
        {1005, "Berlin", "DE-BE", 57},      {1006, "Nordrhein-Westfalen", "DE-NW", 57},
        {1007, "Roma", "RM", 109},          {1008, "Milano", "MI", 109},
        {1009, "Madrid", "M", 68},          {1010, "Barcelona", "B", 68},
        {1011, "Dublin", "D", 101},         {1012, "Cork", "C", 101}};
    for (const auto& [id, name, code, country] : states) {
        if (st.exists("res.country.state", id)) continue;
        st.insert_raw("res.country.state", id,
                      Struct{{"name", name}, {"code", code}, {"country_id", country}});
    }
}

void FakeOdoo::add_custom_field(const std::string& model,
                                const std::string& name,
                                const std::string& type,
                                const std::string& label,
                                std::vector<std::pair<std::string, std::string>> selection) {
    std::lock_guard lock(state_->mu);
    auto it = state_->defs.find(model);
    if (it == state_->defs.end()) throw std::runtime_error("Object " + model + " doesn't exist");
    for (const auto& f : it->second.fields) {
        if (f.name == name) return;
    }
    FieldDef f = F(name, type, label);
    f.selection = std::move(selection);
    // Before the trailing create_date/write_date, like a field of the model itself.
    auto& fields = it->second.fields;
    fields.insert(fields.end() - 2, std::move(f));
}

std::string FakeOdoo::State::now() const {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

}  // namespace clarity::fakes::odoo
