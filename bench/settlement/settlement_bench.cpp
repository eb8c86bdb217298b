// bench_settlement: parse + aggregate a generated settlement report of 200 MB (plain text, in a
// temporary directory, generated once and reused by every round) and compare with the same-run
// baseline of reading it with std::getline and counting tabs. Prints the median of 7 rounds.
//   CLARITY_BENCH_MB=50 bench_settlement   (smaller file for a quick look)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "clarity/amazon/settlement_report.hpp"
#include "clarity/mapping/settlement_journal.hpp"
#include "settlement_report_generator.hpp"

namespace {

using namespace clarity;
using Clock = std::chrono::steady_clock;

class AggregatingSink : public amazon::SettlementSink {
  public:
    explicit AggregatingSink(const mapping::SettlementAccountMap& map) : agg(map) {}
    void on_summary(const model::SettlementSummary& s) override { agg.set_summary(s); }
    void on_row(const amazon::SettlementRow& r) override { agg.add(r.event, r.line); }
    mapping::SettlementAggregator agg;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main() {
    const char* mb_env = std::getenv("CLARITY_BENCH_MB");
    const std::uint64_t mb = mb_env ? std::strtoull(mb_env, nullptr, 10) : 200;
    char tmpl[] = "/tmp/clarity-bench-settlement-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::filesystem::path dir = tmpl;
    const auto path = dir / "settlement.txt";
    const auto generated = test::write_large_report(path, mb * 1024 * 1024, false);
    const double size_mb = static_cast<double>(generated.bytes) / (1024.0 * 1024.0);
    const auto map = mapping::SettlementAccountMap::builtin_default();

    constexpr int kRounds = 7;
    std::vector<double> ours;
    std::vector<double> plain;
    std::uint64_t peak_growth = 0;
    bool ok = true;
    for (int round = 0; round < kRounds; ++round) {
        {
            const auto t0 = Clock::now();
            std::ifstream in(path, std::ios::binary);
            std::string line;
            std::uint64_t tabs = 0;
            while (std::getline(in, line)) tabs += std::count(line.begin(), line.end(), '\t');
            plain.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
            if (tabs == 0) ok = false;
        }
        {
            test::reset_peak_rss();
            const auto before = test::current_rss_bytes();
            const auto t0 = Clock::now();
            AggregatingSink sink(map);
            const auto stats = amazon::parse_settlement_file(path, sink);
            const auto journal = sink.agg.finish();
            ours.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
            peak_growth = std::max(peak_growth, test::peak_rss_bytes() - before);
            ok = ok && stats && !stats->quarantined() && journal.postable() &&
                 journal.rows == generated.amount_rows;
        }
    }
    std::filesystem::remove_all(dir);
    const double our_s = median(ours);
    const double plain_s = median(plain);
    std::printf("settlement_file_size: %.1f MB\n", size_mb);
    std::printf("settlement_rows: %llu rows\n",
                static_cast<unsigned long long>(generated.amount_rows));
    std::printf("settlement_parse_aggregate: %.1f MB/s\n", size_mb / our_s);
    std::printf("settlement_parse_aggregate_time: %.3f s\n", our_s);
    std::printf("getline_baseline: %.1f MB/s\n", size_mb / plain_s);
    std::printf("getline_baseline_time: %.3f s\n", plain_s);
    std::printf("settlement_peak_memory_growth: %.2f MB\n",
                static_cast<double>(peak_growth) / (1024.0 * 1024.0));
    std::printf("process_peak_rss: %.2f MB\n",
                static_cast<double>(test::peak_rss_bytes()) / (1024.0 * 1024.0));
    std::printf("ratio settlement_vs_getline: %.2f (target ≥ 0.5)\n", plain_s / our_s);
    std::printf("ratio settlement_peak_memory_vs_32MB: %.2f (target ≤ 1)\n",
                static_cast<double>(peak_growth) / (32.0 * 1024 * 1024));
    if (!ok) {
        std::fprintf(stderr, "bench_settlement: the parse did not produce a postable journal\n");
        return 1;
    }
    return 0;
}
