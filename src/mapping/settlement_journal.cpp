#include "clarity/mapping/settlement_journal.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "clarity/model/hot_path.hpp"

namespace clarity::mapping {

using model::Decimal;

namespace {

using model::hot::add_exact;
using model::hot::load8;
using model::hot::load_short;
using model::hot::same_text;

}  // namespace

bool SettlementJournal::totals_match() const {
    // Exact equality of the values (scale-independent), so also equal to the cent.
    return rows_total == summary_total;
}

SettlementAggregator::SettlementAggregator(const SettlementAccountMap& map) : map_(map) {
    rehash(64);
}

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

namespace {

// One text's length and first and last 8 bytes (all of a text shorter than 17 bytes) as a word.
[[gnu::always_inline]] inline std::uint64_t text_word(std::string_view s) noexcept {
    const std::size_t n = s.size();
    if (n >= 8) {
        return (load8(s.data()) * 0xC2B2AE3D27D4EB4Full) ^ load8(s.data() + n - 8) ^ (n << 56);
    }
    return n == 0 ? 0 : load_short(s.data(), n) ^ (n << 56);
}

}  // namespace

// The key's hash: the three texts' words mixed independently (no chain of dependent
// multiplications), then once together. Texts differing only in the middle of a longer one
// collide, and the full comparison in lookup() tells them apart.
[[gnu::always_inline]] inline std::uint64_t SettlementAggregator::hash_key(
    std::string_view transaction_type,
    std::string_view amount_type,
    std::string_view amount_description) noexcept {
    const std::uint64_t a = text_word(transaction_type) * 0x9E3779B97F4A7C15ull;
    const std::uint64_t b = text_word(amount_type) * 0xFF51AFD7ED558CCDull;
    const std::uint64_t c = text_word(amount_description) * 0xC4CEB9FE1A85EC53ull;
    std::uint64_t h = (a ^ (a >> 31)) + (b ^ (b >> 29)) + (c ^ (c >> 33));
    h = (h ^ (h >> 32)) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

void SettlementAggregator::rehash(std::size_t slot_count) {
    slots_.assign(slot_count, Slot{});
    const std::size_t mask = slot_count - 1;
    for (std::size_t e = 0; e < entries_.size(); ++e) {
        std::size_t i = static_cast<std::size_t>(entries_[e].hash) & mask;
        while (slots_[i].entry != 0) i = (i + 1) & mask;
        slots_[i] = Slot{static_cast<std::uint32_t>(entries_[e].hash >> 32),
                         static_cast<std::uint32_t>(e + 1)};
    }
}

// The texts come as separate views, not a TypeKeyView: copying add()'s stack-passed arguments into
// one struct made a 16-byte load of two 8-byte stores (a store-forwarding stall on every row).
[[gnu::always_inline]] inline const SettlementAggregator::Resolved& SettlementAggregator::lookup(
    std::string_view transaction_type,
    std::string_view amount_type,
    std::string_view amount_description,
    std::uint64_t line) {
    const std::uint64_t h = hash_key(transaction_type, amount_type, amount_description);
    const auto high = static_cast<std::uint32_t>(h >> 32);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    for (;; i = (i + 1) & mask) {
        const Slot s = slots_[i];
        if (s.entry == 0) break;
        if (s.hash != high) continue;
        const Entry& e = entries_[s.entry - 1];
        if (same_text(e.key.transaction_type, transaction_type) &&
            same_text(e.key.amount_type, amount_type) &&
            same_text(e.key.amount_description, amount_description)) {
            return e.resolved;
        }
    }
    return insert(TypeKeyView{transaction_type, amount_type, amount_description}, h, i, line);
}

// A new triple into the empty slot i: resolved once (the only copies of the texts are made here).
const SettlementAggregator::Resolved& SettlementAggregator::insert(const TypeKeyView& k,
                                                                   std::uint64_t h,
                                                                   std::size_t i,
                                                                   std::uint64_t line) {
    const Resolved r = resolve(k, line);
    entries_.push_back(Entry{TypeKey{std::string(k.transaction_type), std::string(k.amount_type),
                                     std::string(k.amount_description)},
                             h, r});
    if (entries_.size() * 2 > slots_.size()) {
        rehash(slots_.size() * 2);
    } else {
        slots_[i] =
            Slot{static_cast<std::uint32_t>(h >> 32), static_cast<std::uint32_t>(entries_.size())};
    }
    return entries_.back().resolved;
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
    const auto& r = lookup(transaction_type, amount_type, amount_description, line);
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
        !same_text(currency, summary_->total.currency)) {
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
