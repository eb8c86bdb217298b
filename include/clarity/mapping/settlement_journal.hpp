#pragma once
/// \file
/// Exact aggregation of a settlement's amounts into journal lines by a SettlementAccountMap.
///
/// Signs: an amount row is the seller's view (positive = Amazon owes the seller). Each mapped
/// amount is credited to its account (a negative sum becomes a debit); the settlement total is
/// debited to the bank/transfer account (a negative total is credited). Refunds get their own
/// lines (or their rule's refund account), so they appear reversed instead of netted away.
/// Invariant checked by finish(): debits equal credits, and the amount rows sum to the summary
/// total to the cent. Unknown (transaction type, amount type, description) triples are booked to
/// the suspense account and listed. Arithmetic is model::Decimal only. Memory: one accumulator per
/// distinct triple and account, independent of the number of rows.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/mapping/settlement_accounts.hpp"
#include "clarity/model/financial.hpp"

namespace clarity::mapping {

struct JournalLine {
    AccountTarget target;
    bool is_bank = false;
    bool is_refund = false;
    bool is_suspense = false;
    model::Decimal debit;
    model::Decimal credit;
    std::uint64_t rows = 0;  ///< amount rows aggregated into this line

    friend bool operator==(const JournalLine&, const JournalLine&) = default;
};

/// An amount type the map does not know, booked to suspense.
struct UnmappedAmount {
    std::string transaction_type;
    std::string amount_type;
    std::string amount_description;
    std::uint64_t rows = 0;
    model::Decimal total;
    std::uint64_t first_line = 0;  ///< first report line (0 when not from a report)
};

struct SettlementJournal {
    std::string settlement_id;
    std::string currency;
    std::string date;                ///< deposit date (else end date), ISO 8601
    std::vector<JournalLine> lines;  ///< the bank line first, then by account code
    std::vector<UnmappedAmount> unmapped;
    model::Decimal rows_total;     ///< exact sum of the amount rows
    model::Decimal summary_total;  ///< the summary's total-amount
    model::Decimal debit_total;
    model::Decimal credit_total;
    std::uint64_t rows = 0;
    std::vector<std::string> problems;  ///< invariant violations, each a sentence

    bool balanced() const { return debit_total == credit_total; }
    /// Rows sum exactly to the summary total (hence to the cent).
    bool totals_match() const;
    /// Safe to post: balanced, totals match, no problem.
    bool postable() const { return balanced() && totals_match() && problems.empty(); }
};

class SettlementAggregator {
  public:
    /// `map` must outlive the aggregator.
    explicit SettlementAggregator(const SettlementAccountMap& map);

    void set_summary(const model::SettlementSummary& summary);
    /// Adds one amount. `line` is the report line for messages (0 if none).
    void add(const model::FinancialEvent& event, std::uint64_t line = 0);
    /// The same from the parts the aggregation uses (for streaming sinks holding views, e.g.
    /// amazon::SettlementRowView): nothing is copied unless the type triple is new.
    void add(std::string_view transaction_type,
             std::string_view amount_type,
             std::string_view amount_description,
             const model::Decimal& amount,
             std::string_view currency,
             std::uint64_t line = 0);
    /// Builds the lines and checks the invariant. Can be called more than once.
    SettlementJournal finish() const;

  private:
    struct Bucket {
        AccountTarget target;
        bool is_refund = false;
        bool is_suspense = false;
        bool add_refund_suffix = false;  ///< refunds booked on the sales account itself
        model::Decimal sum;
        std::uint64_t rows = 0;
    };
    struct Resolved {
        std::size_t bucket = 0;
        std::size_t refund_bucket = 0;
        bool is_refund = false;  ///< the key's transaction type is a refund
        std::optional<std::size_t> unmapped;
    };

    // (transaction type, amount type, amount description) as given, owned or viewed.
    struct TypeKey {
        std::string transaction_type;
        std::string amount_type;
        std::string amount_description;
    };
    struct TypeKeyView {
        std::string_view transaction_type;
        std::string_view amount_type;
        std::string_view amount_description;
    };
    struct Entry {
        TypeKey key;
        std::uint64_t hash = 0;
        Resolved resolved;
    };
    // Open addressing over entries_ (linear probing, at most half full): a row's views find
    // their key without copying, and nearly always at the first probe.
    struct Slot {
        std::uint32_t hash = 0;   ///< the key hash's high half, checked before the texts
        std::uint32_t entry = 0;  ///< entries_ index + 1; 0 = empty
    };
    static std::uint64_t hash_key(std::string_view transaction_type,
                                  std::string_view amount_type,
                                  std::string_view amount_description) noexcept;
    const Resolved& lookup(std::string_view transaction_type,
                           std::string_view amount_type,
                           std::string_view amount_description,
                           std::uint64_t line);
    [[gnu::noinline]] const Resolved& insert(const TypeKeyView& key,
                                             std::uint64_t hash,
                                             std::size_t slot,
                                             std::uint64_t line);
    void rehash(std::size_t slot_count);

    std::size_t bucket_for(const AccountTarget& target, bool refund, bool suspense);
    Resolved resolve(const TypeKeyView& key, std::uint64_t line);

    const SettlementAccountMap& map_;
    std::optional<model::SettlementSummary> summary_;
    std::vector<Bucket> buckets_;
    std::vector<UnmappedAmount> unmapped_;
    std::vector<Entry> entries_;
    std::vector<Slot> slots_;  // power-of-two size
    model::Decimal rows_total_;
    std::uint64_t rows_ = 0;
    std::string currency_mismatch_;
};

}  // namespace clarity::mapping
