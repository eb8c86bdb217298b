#include "clarity/mapping/settlement_journal.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace clarity::mapping {

using model::Decimal;

namespace {

// acc += v, without the general path's rescaling when both have the same scale (every amount of
// a report has); overflow still throws std::overflow_error from the general path.
inline void add_exact(Decimal& acc, const Decimal& v) {
    std::int64_t sum = 0;
    if (acc.scale() == v.scale() && !__builtin_add_overflow(acc.units(), v.units(), &sum)) {
        acc = Decimal(sum, v.scale());
    } else {
        acc += v;
    }
}

// Short-text helpers for the per-row hot path: word loads instead of byte loops and libc calls
// (the texts here are 3-40 bytes, where those cost more than the rest of a row's work).
inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, 8);
    return w;
}

inline std::uint32_t load4(const char* p) noexcept {
    std::uint32_t w = 0;
    std::memcpy(&w, p, 4);
    return w;
}

// The bytes of p[0..n), 0 < n < 8, packed into a word (overlapping loads; equal texts of equal
// length give equal words).
inline std::uint64_t load_short(const char* p, std::size_t n) noexcept {
    if (n >= 4) return (static_cast<std::uint64_t>(load4(p)) << 32) | load4(p + n - 4);
    return (static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) << 16) |
           (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
           static_cast<unsigned char>(p[n - 1]);
}

// A fast non-cryptographic hash of a short text, 8 bytes per step.
inline std::uint64_t hash_text(std::string_view s, std::uint64_t h) noexcept {
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    const char* p = s.data();
    const std::size_t n = s.size();
    h = (h ^ n) * kMul;
    if (n < 8) {
        if (n > 0) h = (h ^ load_short(p, n)) * kMul;
        return h ^ (h >> 29);
    }
    std::size_t i = 0;
    for (; i + 8 < n; i += 8) {
        h = (h ^ load8(p + i)) * kMul;
        h ^= h >> 29;
    }
    h = (h ^ load8(p + n - 8)) * kMul;  // the last 8 bytes, overlapping the previous word
    return h ^ (h >> 29);
}

// a == b for short texts, without a libc call.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n < 8) return n == 0 || load_short(x, n) == load_short(y, n);
    for (std::size_t i = 0; i + 8 < n; i += 8) {
        if (load8(x + i) != load8(y + i)) return false;
    }
    return load8(x + n - 8) == load8(y + n - 8);
}

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
