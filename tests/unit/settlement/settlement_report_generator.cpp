#include "settlement_report_generator.hpp"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "http/gzip_deflate.hpp"

namespace clarity::test {

namespace {

const std::vector<std::string> kBase = {"settlement-id",
                                        "settlement-start-date",
                                        "settlement-end-date",
                                        "deposit-date",
                                        "total-amount",
                                        "currency",
                                        "transaction-type",
                                        "order-id",
                                        "merchant-order-id",
                                        "adjustment-id",
                                        "shipment-id",
                                        "marketplace-name",
                                        "amount-type",
                                        "amount-description",
                                        "amount",
                                        "fulfillment-id",
                                        "posted-date",
                                        "posted-date-time",
                                        "order-item-code",
                                        "merchant-order-item-id",
                                        "merchant-adjustment-item-id",
                                        "sku",
                                        "quantity-purchased"};

struct Row {
    std::string transaction_type, order_id, amount_type, amount_description, sku, quantity,
        promotion_id;
    std::int64_t cents = 0;
    int day = 9;  // of June 2025
};

class Writer {
  public:
    explicit Writer(const ReportSpec& spec) : spec_(spec), columns_(report_columns(spec)) {}

    std::string header() const {
        std::string out;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i) out += '\t';
            out += columns_[i];
        }
        return out + "\n";
    }

    std::string summary(std::int64_t total_cents) const {
        std::string out;
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i) out += '\t';
            const auto& c = columns_[i];
            if (c == "settlement-id")
                out += spec_.settlement_id;
            else if (c == "settlement-start-date")
                out += date(1, true);
            else if (c == "settlement-end-date")
                out += date(15, true);
            else if (c == "deposit-date")
                out += date(17, true);
            else if (c == "total-amount")
                out += format_cents(total_cents, spec_.decimal_comma);
            else if (c == "currency")
                out += spec_.currency;
            else if (c == "x-new-column")
                out += "summary-extra";
        }
        return out + "\n";
    }

    void row(const Row& r, std::string& out) const {
        for (std::size_t i = 0; i < columns_.size(); ++i) {
            if (i) out += '\t';
            const auto& c = columns_[i];
            if (c == "settlement-id")
                out += spec_.settlement_id;
            else if (c == "transaction-type")
                out += r.transaction_type;
            else if (c == "order-id")
                out += r.order_id;
            else if (c == "marketplace-name") {
                if (!r.order_id.empty()) out += spec_.marketplace;
            } else if (c == "amount-type")
                out += r.amount_type;
            else if (c == "amount-description")
                out += r.amount_description;
            else if (c == "amount")
                out += format_cents(r.cents, spec_.decimal_comma);
            else if (c == "fulfillment-id") {
                if (!r.order_id.empty()) out += "AFN";
            } else if (c == "posted-date")
                out += posted_date(r.day);
            else if (c == "posted-date-time") {
                if (!spec_.posted_date_only) out += "2025-06-" + two(r.day) + " 05:23:19 UTC";
            } else if (c == "sku")
                out += r.sku;
            else if (c == "quantity-purchased")
                out += r.quantity;
            else if (c == "promotion-id")
                out += r.promotion_id;
            else if (c == "x-new-column")
                out += "extra-" + r.amount_description;
            else if (c == "order-item-code") {
                if (!r.order_id.empty()) out += "5" + r.order_id.substr(0, 3) + "0001";
            }
        }
        out += '\n';
    }

    std::string row(const Row& r) const {
        std::string out;
        row(r, out);
        return out;
    }

  private:
    static std::string two(int d) {
        std::string out(2, '0');
        out[0] = static_cast<char>('0' + d / 10);
        out[1] = static_cast<char>('0' + d % 10);
        return out;
    }
    std::string date(int d, bool with_time) const {
        if (spec_.eu_dates) return two(d) + ".06.2025" + (with_time ? " 00:00:00 UTC" : "");
        return "2025-06-" + two(d) + (with_time ? "T00:00:00+00:00" : "");
    }
    std::string posted_date(int d) const {
        if (spec_.eu_dates) return two(d) + ".06.2025";
        // Slash style: month first on Amazon.com, day first elsewhere.
        if (spec_.marketplace == "Amazon.com") return "06/" + two(d) + "/2025";
        return two(d) + "/06/2025";
    }

    const ReportSpec& spec_;
    std::vector<std::string> columns_;
};

std::string order_id(int i) {
    const int a = 100 + i % 900;
    return std::to_string(a) + "-" + std::to_string(1000000 + i) + "-" +
           std::to_string(2000000 + (i * 7919) % 1000000);
}

// The amount rows of order i (and its refund when asked), appended to out.
void order_rows(int i, bool with_refund, std::vector<Row>& out) {
    const std::string id = order_id(i);
    const std::string sku = "SKU-" + std::to_string(i % 50);
    const std::int64_t principal = 1000 + (i * 137) % 9000;  // 10.00 .. 99.99
    const std::int64_t tax = principal * 19 / 100;
    const std::int64_t ship = 399;
    const std::int64_t commission = -(principal * 15 / 100);
    const std::int64_t fba = -(250 + i % 200);
    const int day = 2 + i % 13;
    out.push_back({"Order", id, "ItemPrice", "Principal", sku, "1", "", principal, day});
    out.push_back({"Order", id, "ItemPrice", "Tax", sku, "", "", tax, day});
    out.push_back({"Order", id, "ItemPrice", "Shipping", sku, "", "", ship, day});
    out.push_back(
        {"Order", id, "Promotion", "Shipping", sku, "", "PROMO-" + std::to_string(i), -ship, day});
    out.push_back({"Order", id, "ItemFees", "Commission", sku, "", "", commission, day});
    out.push_back({"Order", id, "ItemFees", "FBAPerUnitFulfillmentFee", sku, "", "", fba, day});
    if (with_refund) {
        out.push_back({"Refund", id, "ItemPrice", "Principal", sku, "", "", -principal, day + 1});
        out.push_back({"Refund", id, "ItemPrice", "Tax", sku, "", "", -tax, day + 1});
        out.push_back(
            {"Refund", id, "ItemFees", "Commission", sku, "", "", -commission * 4 / 5, day + 1});
        out.push_back({"Refund", id, "ItemFees", "RefundCommission", sku, "", "",
                       -(-commission / 5), day + 1});
    }
}

}  // namespace

std::vector<std::string> report_columns(const ReportSpec& spec) {
    std::vector<std::string> cols = kBase;
    if (spec.promotion_id) cols.push_back("promotion-id");
    if (spec.extra_column) cols.push_back("x-new-column");
    if (spec.shuffle_columns) std::reverse(cols.begin(), cols.end());
    return cols;
}

std::string format_cents(std::int64_t cents, bool decimal_comma) {
    const bool neg = cents < 0;
    const std::uint64_t abs =
        neg ? static_cast<std::uint64_t>(-cents) : static_cast<std::uint64_t>(cents);
    std::string out;
    if (neg) out.push_back('-');
    out.append(std::to_string(abs / 100));
    out.push_back(decimal_comma ? ',' : '.');
    out.push_back(static_cast<char>('0' + (abs % 100) / 10));
    out.push_back(static_cast<char>('0' + abs % 10));
    return out;
}

GeneratedReport make_report(const ReportSpec& spec) {
    std::vector<Row> rows;
    for (int i = 0; i < spec.orders; ++i) order_rows(i, spec.refund && i == 0, rows);
    if (spec.reserves) {
        rows.push_back({"other-transaction", "", "other-transaction",
                        "Previous Reserve Amount Balance", "", "", "", 5000, 1});
        rows.push_back({"other-transaction", "", "other-transaction", "Current Reserve Amount", "",
                        "", "", -6025, 15});
    }
    if (spec.adjustment) {
        rows.push_back({"Adjustment", "", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE",
                        "SKU-7", "2", "", 1234, 10});
        rows.push_back({"ServiceFee", "", "Cost of Advertising", "TransactionTotalAmount", "", "",
                        "", -2500, 11});
    }
    if (spec.unknown_type) {
        rows.push_back({"NewProgram", "", "NewAmountType", "Mystery", "", "", "", -99, 12});
    }
    Writer w(spec);
    GeneratedReport out;
    for (const auto& r : rows) out.total_cents += r.cents;
    out.text = w.header() + w.summary(out.total_cents);
    for (const auto& r : rows) out.text += w.row(r);
    out.amount_rows = rows.size();
    for (int i = 0; i < spec.orders; ++i) out.order_ids.push_back(order_id(i));
    return out;
}

std::string gzip(std::string_view data, int level) { return fakes::http::gzip(data, level); }

LargeReport write_large_report(const std::filesystem::path& path,
                               std::uint64_t min_bytes,
                               bool gzip_output) {
    ReportSpec spec;
    spec.promotion_id = true;
    Writer w(spec);
    LargeReport result;
    gzFile gz = nullptr;
    std::ofstream plain;
    if (gzip_output) {
        gz = gzopen(path.c_str(), "wb1");
        if (gz == nullptr) throw std::runtime_error("gzopen failed");
        gzbuffer(gz, 256 * 1024);
    } else {
        plain.open(path, std::ios::binary);
        if (!plain) throw std::runtime_error("cannot write " + path.string());
    }
    auto put = [&](const std::string& s) {
        result.bytes += s.size();
        if (gz) {
            gzwrite(gz, s.data(), static_cast<unsigned>(s.size()));
        } else {
            plain.write(s.data(), static_cast<std::streamsize>(s.size()));
        }
    };
    // The summary row carries the total, which is known only at the end: write rows first into
    // the file after a fixed-width summary placeholder is impossible with gzip, so compute the
    // total in a first pass over the same deterministic rows.
    std::vector<Row> rows;
    std::int64_t total = 0;
    std::uint64_t est = 0;
    int n = 0;
    for (; est < min_bytes; ++n) {
        rows.clear();
        order_rows(n, n % 10 == 0, rows);
        std::string tmp;
        for (const auto& r : rows) {
            total += r.cents;
            w.row(r, tmp);
        }
        est += tmp.size();
    }
    put(w.header());
    put(w.summary(total));
    std::string chunk;
    for (int i = 0; i < n; ++i) {
        rows.clear();
        order_rows(i, i % 10 == 0, rows);
        for (const auto& r : rows) {
            w.row(r, chunk);
            ++result.amount_rows;
        }
        if (chunk.size() > 64 * 1024) {
            put(chunk);
            chunk.clear();
        }
    }
    put(chunk);
    result.total_cents = total;
    if (gz) {
        gzclose(gz);
    } else {
        plain.close();
    }
    return result;
}

namespace {
std::uint64_t status_kb(std::string_view key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) return std::stoull(line.substr(key.size())) * 1024;
    }
    return 0;
}
}  // namespace

std::uint64_t peak_rss_bytes() { return status_kb("VmHWM:"); }
std::uint64_t current_rss_bytes() { return status_kb("VmRSS:"); }
void reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
}

}  // namespace clarity::test
