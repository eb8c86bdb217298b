// The fake's method dispatch (signatures, as JSON-2 binds them) and business methods:
// action_confirm/action_cancel (sale.order), button_validate (stock.picking) with the SMS and
// backorder wizards, action_post (account.move/payment), action_apply_inventory (stock.quant),
// load (upsert by external id), check_object_reference, read_group. NOTES.md §4.
#include <algorithm>
#include <map>

#include "odoo/fake_odoo_state.hpp"

namespace clarity::fakes::odoo {

namespace {

using Ids = std::vector<std::int64_t>;

[[noreturn]] void raise(std::string name, std::string message) {
    throw OdooRaise{std::move(name), std::move(message)};
}

struct Signature {
    bool record = false;  ///< needs ids (a recordset method)
    std::vector<std::string> params;
    std::vector<std::string> required;
    bool varkw = false;  ///< accepts **kwargs
};

const Signature* signature(const std::string& model, const std::string& method) {
    static const std::map<std::string, Signature> kCommon{
        {"search_read", {false, {"domain", "fields", "offset", "limit", "order"}, {}, true}},
        {"search", {false, {"domain", "offset", "limit", "order"}, {"domain"}}},
        {"search_count", {false, {"domain", "limit"}, {"domain"}}},
        {"read", {true, {"fields", "load"}, {}}},
        {"create", {false, {"vals_list"}, {"vals_list"}}},
        {"write", {true, {"vals"}, {"vals"}}},
        {"web_save", {true, {"vals", "specification", "next_id"}, {"vals", "specification"}}},
        {"web_read", {true, {"specification"}, {"specification"}}},
        {"unlink", {true, {}, {}}},
        {"fields_get", {false, {"allfields", "attributes"}, {}}},
        {"load", {false, {"fields", "data"}, {"fields", "data"}}},
        {"read_group",
         {false,
          {"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"},
          {"domain", "fields", "groupby"}}},
        {"default_get", {false, {"fields_list"}, {"fields_list"}}},
        // The extra domain is `args` up to 17 and `domain` from 18 (both accepted here).
        {"name_search", {false, {"name", "args", "operator", "limit", "domain"}, {}}},
    };
    static const std::map<std::string, Signature> kSpecific{
        {"sale.order.action_confirm", {true, {}, {}}},
        {"sale.order.action_cancel", {true, {}, {}}},
        {"sale.order.cancel.action_send_mail_and_cancel", {true, {}, {}}},
        {"sale.order.cancel.action_cancel", {true, {}, {}}},
        {"stock.picking.button_validate", {true, {}, {}}},
        {"account.move.action_post", {true, {}, {}}},
        {"account.payment.action_post", {true, {}, {}}},
        {"stock.quant.action_apply_inventory", {true, {}, {}}},
        {"ir.model.data.check_object_reference",
         {false, {"module", "xml_id"}, {"module", "xml_id"}}},
        {"res.users.context_get", {false, {}, {}}},
    };
    if (auto it = kSpecific.find(model + "." + method); it != kSpecific.end()) return &it->second;
    if (auto it = kCommon.find(method); it != kCommon.end()) return &it->second;
    return nullptr;
}

std::vector<std::string> strings(const Value& v) {
    std::vector<std::string> out;
    if (const auto* a = v.as_array()) {
        for (const auto& s : *a) out.push_back(s.as_string().value_or(""));
    }
    return out;
}

Ids ids_of(const Value& v) {
    if (auto ids = v.as_ids()) return *ids;
    if (auto i = v.as_int()) return {*i};
    return {};
}

bool ctx_true(const Struct& ctx, const char* key) {
    auto it = ctx.find(key);
    return it != ctx.end() && it->second.truthy();
}

std::string ids_text(const Ids& ids) {
    std::string out = "(";
    for (auto id : ids) out += std::to_string(id) + ",";
    return out + ")";
}

Struct window_action(std::string name, std::string res_model, int view_id) {
    return Struct{{"name", std::move(name)},
                  {"type", "ir.actions.act_window"},
                  {"view_mode", "form"},
                  {"res_model", std::move(res_model)},
                  {"views", Array{Array{view_id, "form"}}},
                  {"view_id", view_id},
                  {"target", "new"}};
}

}  // namespace

Value FakeOdoo::State::execute(const std::string& model_name,
                               const std::string& method,
                               std::optional<Ids> ids,
                               Struct named) {
    model(model_name);
    if (!method.empty() && method[0] == '_') {
        // 16/17 name the method alone (odoo/service/model.py), 18+ model and method.
        raise(kAccessError,
              major <= 17 ? "Private methods (such as " + method + ") cannot be called remotely."
                          : "Private methods (such as '" + model_name + "." + method +
                                "') cannot be called remotely.");
    }
    const Signature* sig = signature(model_name, method);
    if (sig == nullptr) {
        // 16/17: Python's getattr fails; 18+ check the method first.
        raise(kAttributeError,
              major <= 17 ? "type object '" + model_name + "' has no attribute '" + method + "'"
                          : "The method '" + model_name + "." + method + "' does not exist");
    }
    for (const auto& [k, v] : named) {
        if (!k.empty() && k[0] == '\x02') {
            throw BindError{"takes " + std::to_string(sig->record ? 2 : 1) +
                            " positional arguments but more were given"};
        }
    }
    if (ids && !sig->record)
        throw BindError{"cannot call " + model_name + "." + method + " with ids"};
    for (const auto& [k, v] : named) {
        if (!sig->varkw &&
            std::find(sig->params.begin(), sig->params.end(), k) == sig->params.end()) {
            throw BindError{"got an unexpected keyword argument '" + k + "'"};
        }
    }
    for (const auto& r : sig->required) {
        if (named.count(r) == 0) throw BindError{"missing a required argument: '" + r + "'"};
    }
    auto arg = [&named](const char* k) -> const Value& {
        return named.count(k) ? named.at(k) : named["\x01"];
    };
    Ids rec = ids.value_or(Ids{});

    if (method == "search_read") {
        auto found =
            search(model_name, arg("domain").as_array() ? *arg("domain").as_array() : Array{},
                   arg("offset").as_int().value_or(0), arg("limit").as_int().value_or(0),
                   arg("order").as_string().value_or(""));
        return read(model_name, found, strings(arg("fields")), true);
    }
    if (method == "search") {
        return clarity::odoo::ids_array(
            search(model_name, arg("domain").as_array() ? *arg("domain").as_array() : Array{},
                   arg("offset").as_int().value_or(0), arg("limit").as_int().value_or(0),
                   arg("order").as_string().value_or("")));
    }
    if (method == "search_count") {
        auto found =
            search(model_name, arg("domain").as_array() ? *arg("domain").as_array() : Array{}, 0,
                   arg("limit").as_int().value_or(0), "");
        return static_cast<std::int64_t>(found.size());
    }
    if (method == "read") {
        bool classic = !(named.count("load") != 0 && arg("load").is_empty());
        return read(model_name, rec, strings(arg("fields")), classic);
    }
    if (method == "create") {
        const Value& vl = arg("vals_list");
        if (const auto* one = vl.as_struct()) return create(model_name, *one);
        Array out;
        if (const auto* list = vl.as_array()) {
            for (const auto& v : *list) {
                out.emplace_back(create(model_name, v.as_struct() ? *v.as_struct() : Struct{}));
            }
        }
        return out;
    }
    if (method == "write") {
        write(model_name, rec, arg("vals").as_struct() ? *arg("vals").as_struct() : Struct{});
        return true;
    }
    if (method == "web_save" || method == "web_read") {
        // 17+ (odoo/addons/web/models/models.py): web_save creates or writes, then both read the
        // records by the specification.
        if (major < 17) {
            raise(kAttributeError, "The method '" + model_name + "." + method + "' does not exist");
        }
        std::vector<std::int64_t> target = rec;
        if (method == "web_save") {
            Struct vals = arg("vals").as_struct() ? *arg("vals").as_struct() : Struct{};
            if (target.empty()) {
                target.push_back(create(model_name, std::move(vals)));
            } else {
                write(model_name, target, std::move(vals));
            }
        } else {
            // web_read drops missing records as read does, except that an x2many in the
            // specification makes a missing record next to existing ones a MissingError (seen
            // on 18 and 19: its prefetch reads the whole recordset).
            std::vector<std::int64_t> present;
            std::optional<std::int64_t> missing;
            for (auto id : target) {
                if (exists(model_name, id)) {
                    present.push_back(id);
                } else if (!missing) {
                    missing = id;
                }
            }
            bool x2many = false;
            if (const auto* spec = arg("specification").as_struct()) {
                for (const auto& [f, sub] : *spec) {
                    if (const auto* sub_spec = sub.as_struct();
                        sub_spec && sub_spec->count("fields"))
                        x2many = true;
                }
            }
            if (missing && x2many && !present.empty()) {
                raise(kMissingError,
                      "Record does not exist or has been deleted.\n(Record: " + model_name + "(" +
                          std::to_string(*missing) + ",), User: 2)");
            }
            target = std::move(present);
        }
        std::vector<std::string> fields{"id"};
        std::map<std::string, std::vector<std::string>> nested;  // x2many field → its fields
        if (const auto* spec = arg("specification").as_struct()) {
            for (const auto& [f, sub] : *spec) {
                if (f != "id") fields.push_back(f);
                // {"order_line": {"fields": {"price_tax": {}}}}: the x2many's records as dicts.
                const auto* sub_spec = sub.as_struct();
                if (sub_spec == nullptr) continue;
                if (auto it = sub_spec->find("fields"); it != sub_spec->end()) {
                    std::vector<std::string> inner{"id"};
                    if (const auto* fs = it->second.as_struct()) {
                        for (const auto& [name, ignored] : *fs) {
                            if (name != "id") inner.push_back(name);
                        }
                    }
                    nested.emplace(f, std::move(inner));
                }
            }
        }
        Array rows = read(model_name, target, fields, /*classic=*/true);
        for (auto& row : rows) {
            Struct* r = row.as_struct();
            if (r == nullptr) continue;
            for (const auto& [f, inner] : nested) {
                const FieldDef& def = field(model(model_name), f);
                auto it = r->find(f);
                if (it == r->end()) continue;
                it->second = read(def.relation, ids_of(it->second), inner, /*classic=*/true);
            }
        }
        return rows;
    }
    if (method == "unlink") {
        if (model_name == "sale.order") {
            // sale/models/sale_order.py _unlink_except_draft_or_cancel (16-19).
            for (auto id : rec) {
                if (!exists(model_name, id)) continue;
                const Value& st = tables[model_name].at(id).at("state");
                if (st != Value("draft") && st != Value("cancel")) {
                    raise(kUserError,
                          "You can not delete a sent quotation or a confirmed sales order. You "
                          "must first cancel it.");
                }
            }
        }
        unlink(model_name, rec);
        return true;
    }
    if (method == "fields_get") {
        return fields_get(model_name,
                          arg("attributes").as_array() ? *arg("attributes").as_array() : Array{},
                          arg("allfields").as_array() ? *arg("allfields").as_array() : Array{});
    }
    if (method == "load") {
        return load(model_name, arg("fields").as_array() ? *arg("fields").as_array() : Array{},
                    arg("data").as_array() ? *arg("data").as_array() : Array{});
    }
    if (method == "read_group") {
        return read_group(model_name,
                          arg("domain").as_array() ? *arg("domain").as_array() : Array{},
                          arg("fields").as_array() ? *arg("fields").as_array() : Array{},
                          arg("groupby").is_string()
                              ? Array{arg("groupby")}
                              : (arg("groupby").as_array() ? *arg("groupby").as_array() : Array{}));
    }
    if (method == "name_search") {
        // [[id, display_name], …] of the records whose name matches (operator ilike by default).
        const Value& extra = named.count("domain") ? arg("domain") : arg("args");
        Array domain = extra.as_array() ? *extra.as_array() : Array{};
        std::string text = arg("name").as_string().value_or("");
        if (!text.empty()) {
            domain.push_back(clarity::odoo::Domain::leaf(
                "name", arg("operator").as_string().value_or("ilike"), text));
        }
        Array out;
        for (auto id : search(model_name, domain, 0, arg("limit").as_int().value_or(100), "")) {
            out.push_back(Array{id, display_name(model_name, id)});
        }
        return out;
    }
    if (method == "default_get") return Struct{};
    if (method == "context_get") return Struct{{"lang", "en_US"}, {"tz", false}, {"uid", uid}};
    if (method == "check_object_reference") {
        std::string module = arg("module").as_string().value_or("");
        std::string name = arg("xml_id").as_string().value_or("");
        for (auto xid : ids_where("ir.model.data", "name", Value(name))) {
            const Struct& x = table("ir.model.data").at(xid);
            if (x.at("module") == Value(module) && x.at("name") == Value(name)) {
                return Array{x.at("model"), x.at("res_id")};
            }
        }
        raise(kValueError, "External ID not found in the system: " + module + "." + name);
    }

    // ---- action methods ----
    for (auto id : rec) {
        if (!exists(model_name, id)) missing(model_name, id);
    }
    if (opt.wizard_actions.count(model_name + "." + method) != 0) {
        Struct a = window_action("Please confirm", "x_confirm.wizard", 2001);
        a.insert_or_assign("context", Struct{{"active_ids", clarity::odoo::ids_array(rec)}});
        return a;
    }
    if (opt.noop_actions.count(model_name + "." + method) != 0) return true;
    if (model_name == "sale.order" && method == "action_confirm") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            auto state = tables[model_name].at(id).at("state").as_string().value_or("");
            if (state != "draft" && state != "sent") {
                raise(kUserError, "Some orders are not in a state requiring confirmation.");
            }
        }
        for (auto id : rec) {
            auto& so = row_mut(model_name, id);
            so.insert_or_assign("state", "sale");
            // action_confirm overwrites date_order with now (NOTES.md §4 sale.order).
            so.insert_or_assign("date_order", now());
            std::vector<std::pair<std::int64_t, Struct>> goods;
            for (auto lid : ids_where("sale.order.line", "order_id", Value(id))) {
                const Struct& line = table("sale.order.line").at(lid);
                auto pid = line.at("product_id").m2o_id();
                if (!pid || *pid == 0) continue;
                const Struct& p = tables["product.product"].at(*pid);
                bool is_goods =
                    major >= 18 ? p.at("type") != Value("service") && p.at("type") != Value("combo")
                                : p.at("detailed_type") != Value("service");
                if (is_goods) goods.emplace_back(lid, line);
            }
            if (goods.empty()) continue;
            std::int64_t pick =
                create("stock.picking", Struct{{"partner_id", so.at("partner_shipping_id")},
                                               {"origin", so.at("name")},
                                               {"sale_id", id},
                                               {"location_id", 8},
                                               {"location_dest_id", 5}});
            row_mut("stock.picking", pick).insert_or_assign("state", "assigned");
            for (const auto& [lid, line] : goods) {
                Struct mv{
                    {"picking_id", pick},      {"product_id", line.at("product_id")},
                    {"name", line.at("name")}, {"product_uom_qty", line.at("product_uom_qty")},
                    {"sale_line_id", lid},     {"location_id", 8},
                    {"location_dest_id", 5}};
                // 17+: reserved quantity is pre-filled; 16: quantity_done starts at 0.
                if (major >= 17) mv.emplace("quantity", line.at("product_uom_qty"));
                auto mid = create("stock.move", std::move(mv));
                row_mut("stock.move", mid).insert_or_assign("state", "assigned");
            }
        }
        return true;
    }
    if (model_name == "sale.order" && method == "action_cancel") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            const auto& so = tables[model_name].at(id);
            if (so.at("state") == Value("done") ||
                (so.count("locked") && so.at("locked") == Value(true))) {
                raise(kUserError, "You cannot cancel a locked order. Please unlock it first.");
            }
        }
        // 16–18: a non-draft order is not cancelled but answered with the sale.order.cancel
        // wizard's action (which would e-mail the customer) unless the context carries
        // disable_cancel_warning; the wizard needs one order (ensure_one). 19 has no wizard and
        // cancels directly (sale/models/sale_order.py action_cancel, _show_cancel_wizard;
        // NOTES.md §9).
        const bool warn = major <= 18 && !ctx_true(ctx, "disable_cancel_warning") &&
                          std::any_of(rec.begin(), rec.end(), [this, &model_name](std::int64_t id) {
                              return tables[model_name].at(id).at("state") != Value("draft");
                          });
        if (warn) {
            if (rec.size() != 1)
                raise(kValueError, "Expected singleton: sale.order" + ids_text(rec));
            Struct a = window_action("Cancel Sales Order", "sale.order.cancel", 1030);
            a.erase("views");
            a.insert_or_assign("context", Struct{{"default_template_id", 12},
                                                 {"default_order_id", rec[0]},
                                                 {"mark_so_as_canceled", true},
                                                 {"model_description", "Sales Order"}});
            return a;
        }
        for (auto id : rec) {
            row_mut(model_name, id).insert_or_assign("state", "cancel");
            // sale_stock cancels the deliveries that are not done; done ones stay (an order
            // whose goods left can still be cancelled, seen on real 17-19).
            for (auto pid : ids_where("stock.picking", "sale_id", Value(id))) {
                if (table("stock.picking").at(pid).at("state") != Value("done")) {
                    row_mut("stock.picking", pid).insert_or_assign("state", "cancel");
                }
            }
        }
        return true;
    }
    if (model_name == "sale.order.cancel" &&
        (method == "action_send_mail_and_cancel" || method == "action_cancel")) {
        // The wizard's buttons: post the e-mail (send) or not, then cancel the order with
        // disable_cancel_warning (sale/wizard/sale_order_cancel.py).
        if (rec.size() != 1)
            raise(kValueError, "Expected singleton: sale.order.cancel" + ids_text(rec));
        const Struct wizard = tables[model_name].at(rec[0]);
        const std::int64_t order = to_id_value(wizard.at("order_id"));
        if (method == "action_send_mail_and_cancel") {
            const Struct& so = tables["sale.order"].at(order);
            create("mail.message",
                   Struct{{"model", "sale.order"},
                          {"res_id", order},
                          {"subject", wizard.count("subject") ? wizard.at("subject") : Value("")},
                          {"body", wizard.count("body") ? wizard.at("body") : Value("")},
                          {"message_type", "comment"},
                          {"partner_ids", Array{Array{6, 0, Array{so.at("partner_id")}}}}});
        }
        Struct saved = ctx;
        ctx.insert_or_assign("disable_cancel_warning", true);
        Value r;
        try {
            r = execute("sale.order", "action_cancel", Ids{order}, Struct{});
        } catch (...) {
            ctx = saved;
            throw;
        }
        ctx = saved;
        return r;
    }
    if (model_name == "stock.picking" && method == "button_validate") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            auto state = tables[model_name].at(id).at("state").as_string().value_or("");
            if (state == "done" || state == "cancel") {
                raise(kUserError,
                      "You cannot validate a transfer if no quantities are reserved "
                      "nor done. You can use the info button to force the validation.");
            }
        }
        Struct wizard_ctx = ctx;
        wizard_ctx.insert_or_assign("button_validate_picking_ids", clarity::odoo::ids_array(rec));
        // stock_sms asks once for confirmation unless skip_sms (NOTES.md §4 stock.picking).
        if (opt.sms_wizard && !ctx_true(ctx, "skip_sms")) {
            Struct a = window_action("SMS", "confirm.stock.sms", 1112);
            a.emplace("res_id", ++sequence);
            a.emplace("context",
                      Struct{{"button_validate_picking_ids", clarity::odoo::ids_array(rec)}});
            return a;
        }
        const char* done_field = major >= 17 ? "quantity" : "quantity_done";
        if (major <= 16 && !ctx_true(ctx, "skip_immediate")) {
            // 16: nothing done at all → the immediate transfer wizard (removed in 17).
            bool any_done = false;
            for (const auto& [mid, mv] : tables["stock.move"]) {
                if (std::find(rec.begin(), rec.end(), mv.at("picking_id").as_int().value_or(0)) !=
                        rec.end() &&
                    mv.at(done_field).as_double().value_or(0) > 0) {
                    any_done = true;
                }
            }
            if (!any_done) {
                Struct a = window_action("Immediate Transfer?", "stock.immediate.transfer", 850);
                a.emplace("context", wizard_ctx);
                return a;
            }
        }
        Ids not_to_backorder;
        if (auto it = ctx.find("picking_ids_not_to_backorder"); it != ctx.end()) {
            not_to_backorder = ids_of(it->second);
        }
        bool skip_backorder = ctx_true(ctx, "skip_backorder");
        for (auto id : rec) {
            bool partial = false;
            for (auto mid : ids_where("stock.move", "picking_id", Value(id))) {
                const Struct& mv = table("stock.move").at(mid);
                if (mv.at(done_field).as_double().value_or(0) <
                    mv.at("product_uom_qty").as_double().value_or(0)) {
                    partial = true;
                }
            }
            if (partial && !skip_backorder) {
                Struct a = window_action("Create Backorder?", "stock.backorder.confirmation", 897);
                Struct c = wizard_ctx;
                c.insert_or_assign("default_show_transfers", false);
                c.insert_or_assign("default_pick_ids", Array{Array{4, id}});
                a.emplace("context", std::move(c));
                return a;
            }
        }
        for (auto id : rec) {
            bool no_backorder = std::find(not_to_backorder.begin(), not_to_backorder.end(), id) !=
                                not_to_backorder.end();
            Struct& pick = row_mut(model_name, id);
            std::vector<std::pair<std::int64_t, double>> rest;
            for (auto mid : ids_where("stock.move", "picking_id", Value(id))) {
                Struct& mv = row_mut("stock.move", mid);
                double done = mv.at(done_field).as_double().value_or(0);
                double demand = mv.at("product_uom_qty").as_double().value_or(0);
                if (done < demand) rest.emplace_back(mid, demand - done);
                mv.insert_or_assign("state", "done");
                if (major >= 17) mv.insert_or_assign("picked", true);
                if (auto sl = mv.at("sale_line_id").as_int();
                    sl && exists("sale.order.line", *sl)) {
                    auto& line = row_mut("sale.order.line", *sl);
                    line.insert_or_assign("qty_delivered",
                                          line.at("qty_delivered").as_double().value_or(0) + done);
                }
                for (auto qid : ids_where("stock.quant", "product_id", mv.at("product_id"))) {
                    const Struct& candidate = table("stock.quant").at(qid);
                    if (candidate.at("product_id") == mv.at("product_id") &&
                        candidate.at("location_id") == Value(8)) {
                        Struct& q = row_mut("stock.quant", qid);
                        q.insert_or_assign("quantity",
                                           q.at("quantity").as_double().value_or(0) - done);
                        break;
                    }
                }
            }
            pick.insert_or_assign("state", "done");
            pick.insert_or_assign("date_done", now());
            pick.insert_or_assign("write_date", now());
            if (!rest.empty() && !no_backorder) {
                Struct b = pick;
                b.erase("id");
                b.erase("name");
                b.erase("date_done");
                b.erase("carrier_tracking_ref");
                b.insert_or_assign("backorder_id", id);
                b.insert_or_assign("state", "assigned");
                std::int64_t bid = create("stock.picking", std::move(b));
                row_mut("stock.picking", bid).insert_or_assign("state", "assigned");
                for (const auto& [mid, qty] : rest) {
                    Struct mv = tables["stock.move"].at(mid);
                    mv.erase("id");
                    mv.insert_or_assign("picking_id", bid);
                    mv.insert_or_assign("product_uom_qty", qty);
                    mv.insert_or_assign(done_field, major >= 17 ? Value(qty) : Value(0.0));
                    mv.insert_or_assign("state", "assigned");
                    if (major >= 17) mv.insert_or_assign("picked", false);
                    std::int64_t nid =
                        create("stock.move", Struct{{"product_id", mv.at("product_id")}});
                    mv.insert_or_assign("id", nid);
                    row_mut("stock.move", nid) = mv;
                }
            }
        }
        return true;
    }
    if (model_name == "account.move" && method == "action_post") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            auto& mv = row_mut(model_name, id);
            if (mv.at("state") != Value("draft"))
                raise(kUserError, "Only draft journal entries can be posted.");
            auto journal = tables["account.journal"].at(mv.at("journal_id").as_int().value_or(0));
            char buf[128];
            std::snprintf(buf, sizeof buf, "%s/%s/%04lld", journal.at("code").as_string()->c_str(),
                          mv.at("date").as_string().value_or("2025").substr(0, 4).c_str(),
                          static_cast<long long>(++sequence));
            mv.insert_or_assign("name", std::string(buf));
            mv.insert_or_assign("state", "posted");
        }
        return false;  // account.move.action_post returns False (captured)
    }
    if (model_name == "account.payment" && method == "action_post") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            auto& p = row_mut(model_name, id);
            if (p.at("state") != Value("draft"))
                raise(kUserError, "Only a draft payment can be posted.");
            // 18+: own state, in_process until reconciled; 16/17: the move's state (NOTES.md §4).
            p.insert_or_assign("state", major >= 18 ? "in_process" : "posted");
            char buf[64];
            std::snprintf(buf, sizeof buf, "PBNK1/2025/%05lld", static_cast<long long>(++sequence));
            p.insert_or_assign("name", std::string(buf));
        }
        return Value{};  // returns None
    }
    if (model_name == "stock.quant" && method == "action_apply_inventory") {
        check_access(model_name, "modify");
        for (auto id : rec) {
            auto& q = row_mut(model_name, id);
            q.insert_or_assign("quantity", q.at("inventory_quantity").as_double().value_or(0));
            q.insert_or_assign("inventory_quantity", 0.0);
        }
        return Value{};  // returns None (NOTES.md §1)
    }
    raise(kAttributeError, "The method '" + model_name + "." + method + "' does not exist");
}

namespace {
/// A load cell that cannot be converted to its field's type.
struct ImportProblem {
    std::string field;
    std::string label;
    std::string message;
    Array moreinfo;
};
}  // namespace

Value FakeOdoo::State::load(const std::string& model_name, const Array& fields, const Array& data) {
    const ModelDef& m = model(model_name);
    auto names = strings(Value(fields));
    // Odoo runs load inside a savepoint and rolls every row back when any row failed
    // (models.py `load`: ROLLBACK TO SAVEPOINT, ids False). Through a call, load is the whole
    // journaled call; called directly, it journals for itself.
    const bool own_journal = !journaling;
    if (own_journal) {
        undo.clear();
        journaling = true;
    }
    struct EndJournal {
        State& s;
        bool own;
        ~EndJournal() {
            if (own) {
                s.journaling = false;
                s.undo.clear();
            }
        }
    } end_journal{*this, own_journal};
    Array ids;
    Array messages;
    for (std::size_t row = 0; row < data.size(); ++row) {
        const auto* cells = data[row].as_array();
        if (cells == nullptr) continue;
        std::string xmlid;
        std::optional<std::int64_t> db_id;  // the ".id" column: an existing record's id
        Struct vals;
        try {
            for (std::size_t c = 0; c < names.size() && c < cells->size(); ++c) {
                const std::string& name = names[c];
                const Value& cell = (*cells)[c];
                if (name == "id") {
                    xmlid = cell.as_string().value_or("");
                    continue;
                }
                if (name == ".id") {
                    db_id = cell.as_int();
                    if (!db_id) {
                        if (auto t = cell.as_string()) db_id = std::stoll(*t);
                    }
                    continue;
                }
                if (name.size() > 3 && name.substr(name.size() - 3) == "/id") {
                    std::string f = name.substr(0, name.size() - 3);
                    std::string ref = cell.as_string().value_or("");
                    if (ref.empty()) {  // an empty cell: no record (real 18/19)
                        vals.insert_or_assign(f, false);
                        continue;
                    }
                    auto dot = ref.find('.');
                    Value r = execute(
                        "ir.model.data", "check_object_reference", std::nullopt,
                        Struct{{"module",
                                dot == std::string::npos ? "__import__" : ref.substr(0, dot)},
                               {"xml_id", dot == std::string::npos ? ref : ref.substr(dot + 1)}});
                    vals.insert_or_assign(f, (*r.as_array())[1]);
                    continue;
                }
                if (name.size() > 4 && name.substr(name.size() - 4) == "/.id") {
                    vals.insert_or_assign(name.substr(0, name.size() - 4), cell);
                    continue;
                }
                const FieldDef& f = field(m, name);
                Value v = cell;
                if (auto s = cell.as_string(); s && f.type == "selection" && !s->empty()) {
                    // Import takes a selection's value or its label (base_import's converter);
                    // anything else is reported with the field and the allowed labels.
                    auto hit = std::find_if(
                        f.selection.begin(), f.selection.end(),
                        [&s](const auto& opt) { return opt.first == *s || opt.second == *s; });
                    if (hit == f.selection.end()) {
                        Array allowed;
                        for (const auto& opt : f.selection) allowed.emplace_back(opt.second);
                        throw ImportProblem{
                            f.name, f.label,
                            "Value '" + *s + "' not found in selection field '" + f.label + "'",
                            std::move(allowed)};
                    }
                    v = hit->first;
                } else if (auto s = cell.as_string();
                           s && (f.type == "float" || f.type == "monetary")) {
                    v = std::stod(*s);
                } else if (auto s2 = cell.as_string(); s2 && f.type == "integer") {
                    v = std::stoll(*s2);
                } else if (auto s3 = cell.as_string(); s3 && f.type == "boolean") {
                    v = *s3 == "1" || *s3 == "True" || *s3 == "true";
                }
                vals.insert_or_assign(name, v);
            }
            std::optional<std::int64_t> existing;
            std::string module = "__import__", name = xmlid;
            if (auto dot = xmlid.find('.'); dot != std::string::npos) {
                module = xmlid.substr(0, dot);
                name = xmlid.substr(dot + 1);
            }
            if (!xmlid.empty()) {
                for (auto xid : ids_where("ir.model.data", "name", Value(name))) {
                    const Struct& x = table("ir.model.data").at(xid);
                    if (x.at("module") == Value(module) && x.at("name") == Value(name) &&
                        x.at("model") == Value(model_name) &&
                        exists(model_name, to_id_value(x.at("res_id")))) {
                        existing = to_id_value(x.at("res_id"));
                    }
                }
            }
            if (db_id) {
                if (!exists(model_name, *db_id)) missing(model_name, *db_id);
                existing = db_id;
            }
            if (existing) {
                write(model_name, {*existing}, vals);
                ids.emplace_back(*existing);
            } else {
                auto id = create(model_name, vals);
                if (!xmlid.empty()) {
                    create("ir.model.data", Struct{{"module", module},
                                                   {"name", name},
                                                   {"model", model_name},
                                                   {"res_id", id},
                                                   {"noupdate", false}});
                }
                ids.emplace_back(id);
            }
        } catch (const ImportProblem& e) {
            // A cell the import cannot convert: Odoo names the field (base/models.py load,
            // _format_import_error) — captured from Odoo 17-19, tests/data/odoo/.
            messages.emplace_back(Struct{{"type", "error"},
                                         {"message", e.message},
                                         {"record", static_cast<std::int64_t>(row)},
                                         {"rows", Struct{{"from", static_cast<std::int64_t>(row)},
                                                         {"to", static_cast<std::int64_t>(row)}}},
                                         {"field", e.field},
                                         {"field_name", e.label},
                                         {"moreinfo", e.moreinfo}});
        } catch (const OdooRaise& e) {
            // load reports problems in `messages` instead of raising (NOTES.md §4 ir.model.data).
            messages.emplace_back(Struct{{"type", "error"},
                                         {"message", e.message},
                                         {"record", static_cast<std::int64_t>(row)},
                                         {"rows", Struct{{"from", static_cast<std::int64_t>(row)},
                                                         {"to", static_cast<std::int64_t>(row)}}}});
        }
    }
    if (!messages.empty()) {
        roll_back();  // the rows that did load are undone too
        return Struct{{"ids", false}, {"messages", messages}, {"nextrow", 0}};
    }
    return Struct{{"ids", ids}, {"messages", Array{}}, {"nextrow", 0}};
}

std::int64_t to_id_value(const Value& v) { return v.m2o_id().value_or(0); }

Value FakeOdoo::State::read_group(const std::string& model_name,
                                  const Array& domain,
                                  const Array& fields,
                                  const Array& groupby) {
    const ModelDef& m = model(model_name);
    auto found = search(model_name, domain, 0, 0, "");
    std::string by = groupby.empty() ? "" : groupby[0].as_string().value_or("");
    const FieldDef& gf = field(m, by);
    std::map<std::int64_t, std::pair<std::int64_t, std::map<std::string, double>>> groups;
    std::vector<std::string> sums;
    for (const auto& f : strings(Value(fields))) {
        auto colon = f.find(':');
        std::string name = f.substr(0, colon);
        if (name != by) {
            field(m, name);
            sums.push_back(name);
        }
    }
    for (auto id : found) {
        const Struct& row = tables[model_name].at(id);
        auto key = to_id_value(get(model_name, row, gf));
        auto& g = groups[key];
        g.first += 1;
        for (const auto& s : sums)
            g.second[s] += get(model_name, row, field(m, s)).as_double().value_or(0);
    }
    Array out;
    for (const auto& [key, g] : groups) {
        Struct r;
        r.emplace(by, key == 0 ? Value(false) : Value(Array{key, display_name(gf.relation, key)}));
        r.emplace("__count", g.first);
        for (const auto& [s, v] : g.second) r.emplace(s, v);
        Array d{"&"};
        for (const auto& t : domain) d.push_back(t);
        d.push_back(Array{by, "=", key});
        r.emplace("__domain", d);
        out.emplace_back(std::move(r));
    }
    return out;
}

}  // namespace clarity::fakes::odoo
