#include "clarity/mapping/settlement_journal.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "clarity/model/hot_path.hpp"

namespace clarity::mapping {

using model::Decimal;

namespace {

using model::hot::add_exact;
using model::hot::hash_text;
using model::hot::same_text;

}  // namespace

bool SettlementJournal::totals_match() const {
    // Exact equality of the values (scale-independent), so also equal to the cent.
    return rows_total == summary_total;
}

SettlementAggregator::SettlementAggregator(const SettlementAccountMap& map) : map_(map) {}

void SettlementAggregator::set_summary(const model::SettlementSummary& summary) {
    summary_ = summary;
}

std::size_t SettlementAggregator::bucket_for(const AccountTarget& target,
                                             bool refund,
                                             bool suspense) {
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        const auto& b = buckets_[i];
        if (b.target == target && b.is_refund == refund && b.is_suspense == suspense) return i;
    }
    buckets_.push_back(Bucket{target, refund, suspense, false, Decimal{}, 0});
    return buckets_.size() - 1;
}

SettlementAggregator::Resolved SettlementAggregator::resolve(const TypeKeyView& k,
                                                             std::uint64_t line) {
    Resolved r;
    r.is_refund = model::is_refund_transaction(k.transaction_type);
    if (const auto* rule = map_.find(k.transaction_type, k.amount_type, k.amount_description)) {
        r.bucket = bucket_for(rule->target, false, false);
        // A refund of an amount is booked on its own line (or the rule's refund account), so the
        // reversal stays visible instead of being netted into the sales line.
        r.refund_bucket = bucket_for(rule->refund_target.value_or(rule->target), true, false);
        if (!rule->refund_target) buckets_[r.refund_bucket].add_refund_suffix = true;
    } else {
        r.bucket = bucket_for(map_.suspense, false, true);
        r.refund_bucket = r.bucket;
        unmapped_.push_back(UnmappedAmount{std::string(k.transaction_type),
                                           std::string(k.amount_type),
                                           std::string(k.amount_description), 0, Decimal{}, line});
        r.unmapped = unmapped_.size() - 1;
    }
    return r;
}

std::size_t SettlementAggregator::TypeKeyHash::operator()(const TypeKeyView& k) const noexcept {
    std::uint64_t h = hash_text(k.transaction_type, 0);
    h = hash_text(k.amount_type, h);
    h = hash_text(k.amount_description, h);
    return static_cast<std::size_t>(h ^ (h >> 32));
}

bool SettlementAggregator::TypeKeyEqual::operator()(const TypeKeyView& a,
                                                    const TypeKeyView& b) const noexcept {
    return same_text(a.transaction_type, b.transaction_type) &&
           same_text(a.amount_type, b.amount_type) &&
           same_text(a.amount_description, b.amount_description);
}

void SettlementAggregator::add(const model::FinancialEvent& e, std::uint64_t line) {
    add(e.transaction_type, e.amount_type, e.amount_description, e.amount.amount, e.amount.currency,
        line);
}

void SettlementAggregator::add(std::string_view transaction_type,
                               std::string_view amount_type,
                               std::string_view amount_description,
                               const model::Decimal& amount,
                               std::string_view currency,
                               std::uint64_t line) {
    const TypeKeyView key{transaction_type, amount_type, amount_description};
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        const Resolved r = resolve(key, line);
        it = cache_
                 .emplace(TypeKey{std::string(transaction_type), std::string(amount_type),
                                  std::string(amount_description)},
                          r)
                 .first;
    }
    const auto& r = it->second;
    auto& bucket = buckets_[r.is_refund ? r.refund_bucket : r.bucket];
    add_exact(bucket.sum, amount);
    ++bucket.rows;
    if (r.unmapped) {
        auto& u = unmapped_[*r.unmapped];
        add_exact(u.total, amount);
        ++u.rows;
    }
    add_exact(rows_total_, amount);
    ++rows_;
    if (summary_ && currency_mismatch_.empty() && !currency.empty() &&
        currency != summary_->total.currency) {
        currency_mismatch_ = "an amount in " + std::string(currency) + " in a settlement in " +
                             summary_->total.currency +
                             (line ? " (line " + std::to_string(line) + ")" : "");
    }
}

SettlementJournal SettlementAggregator::finish() const {
    SettlementJournal j;
    j.rows = rows_;
    j.rows_total = rows_total_;
    if (summary_) {
        j.settlement_id = summary_->settlement_id;
        j.currency = summary_->total.currency;
        j.date = summary_->deposit_at.empty() ? summary_->end_at : summary_->deposit_at;
        j.summary_total = summary_->total.amount;
    } else {
        j.problems.push_back("no settlement summary: the total to transfer is unknown");
    }
    if (!currency_mismatch_.empty()) j.problems.push_back(currency_mismatch_);

    JournalLine bank;
    bank.target = map_.bank;
    bank.is_bank = true;
    if (j.summary_total.is_negative()) {
        bank.credit = -j.summary_total;
    } else {
        bank.debit = j.summary_total;
    }
    j.lines.push_back(bank);

    std::vector<JournalLine> lines;
    for (const auto& b : buckets_) {
        if (b.rows == 0) continue;
        JournalLine l;
        l.target = b.target;
        if (b.is_refund && b.add_refund_suffix) {
            l.target.label += l.target.label.empty() ? "Refunds" : " (refunds)";
        }
        l.is_refund = b.is_refund;
        l.is_suspense = b.is_suspense;
        l.rows = b.rows;
        if (b.sum.is_negative()) {
            l.debit = -b.sum;
        } else {
            l.credit = b.sum;
        }
        lines.push_back(std::move(l));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const JournalLine& a, const JournalLine& b) {
        if (a.target.account != b.target.account) return a.target.account < b.target.account;
        return a.is_refund < b.is_refund;
    });
    j.lines.insert(j.lines.end(), lines.begin(), lines.end());
    for (const auto& l : j.lines) {
        j.debit_total += l.debit;
        j.credit_total += l.credit;
    }
    j.unmapped = unmapped_;
    std::erase_if(j.unmapped, [](const UnmappedAmount& u) { return u.rows == 0; });

    if (summary_ && j.rows_total != j.summary_total) {
        j.problems.push_back("the amount rows sum to " + j.rows_total.to_string() + " " +
                             j.currency + " but the settlement total is " +
                             j.summary_total.to_string() + " (difference " +
                             (j.summary_total - j.rows_total).to_string() + ")");
    }
    if (!j.balanced()) {
        j.problems.push_back("journal does not balance: debit " + j.debit_total.to_string() +
                             " vs credit " + j.credit_total.to_string());
    }
    return j;
}

}  // namespace clarity::mapping
