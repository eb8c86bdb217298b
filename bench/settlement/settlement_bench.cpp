// bench_settlement: parse + aggregate a generated settlement report of 200 MB (plain text, in a
// temporary directory, generated once and reused by every round) and compare with the same-run
// baseline of reading it with std::getline and counting tabs. Rounds alternate the two; prints
// the median of 7 rounds of each.
//
// Each round is timed twice: wall clock, and the process's CPU time (user + system, so the
// read() calls count for both). The ratio is taken from CPU time: on the shared build machine
// other processes preempt the bench, which inflates wall times at random and would make the
// ratio a measure of the machine's load; the wall-clock ratio is printed too. On an idle machine
// the two agree (the run is single-threaded and reads from the page cache).
//   CLARITY_BENCH_MB=50 bench_settlement   (smaller file for a quick look)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
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

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Times {
    std::vector<double> wall;
    std::vector<double> cpu;
};

// Times fn() by wall clock and by process CPU time.
template <class Fn>
void timed(Times& t, Fn&& fn) {
    const auto w0 = Clock::now();
    const double c0 = cpu_seconds();
    fn();
    t.cpu.push_back(cpu_seconds() - c0);
    t.wall.push_back(std::chrono::duration<double>(Clock::now() - w0).count());
}

class AggregatingSink : public amazon::SettlementSink {
  public:
    explicit AggregatingSink(const mapping::SettlementAccountMap& map) : agg(map) {}
    void on_summary(const model::SettlementSummary& s) override { agg.set_summary(s); }
    void on_row_view(const amazon::SettlementRowView& r) override {
        agg.add(r.transaction_type, r.amount_type, r.amount_description, r.amount, r.currency,
                r.line);
    }
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
    Times ours;
    Times plain;
    std::uint64_t peak_growth = 0;
    bool ok = true;
    for (int round = 0; round < kRounds; ++round) {
        timed(plain, [&] {
            std::ifstream in(path, std::ios::binary);
            std::string line;
            std::uint64_t tabs = 0;
            while (std::getline(in, line)) tabs += std::count(line.begin(), line.end(), '\t');
            if (tabs == 0) ok = false;
        });
        test::reset_peak_rss();
        const auto before = test::current_rss_bytes();
        timed(ours, [&] {
            AggregatingSink sink(map);
            const auto stats = amazon::parse_settlement_file(path, sink);
            const auto journal = sink.agg.finish();
            ok = ok && stats && !stats->quarantined() && journal.postable() &&
                 journal.rows == generated.amount_rows;
        });
        peak_growth = std::max(peak_growth, test::peak_rss_bytes() - before);
    }
    std::filesystem::remove_all(dir);
    const double our_cpu = median(ours.cpu);
    const double plain_cpu = median(plain.cpu);
    const double our_wall = median(ours.wall);
    const double plain_wall = median(plain.wall);
    std::printf("settlement_file_size: %.1f MB\n", size_mb);
    std::printf("settlement_rows: %llu rows\n",
                static_cast<unsigned long long>(generated.amount_rows));
    std::printf("settlement_parse_aggregate: %.1f MB/s\n", size_mb / our_cpu);
    std::printf("settlement_parse_aggregate_cpu_time: %.3f s\n", our_cpu);
    std::printf("settlement_parse_aggregate_wall: %.1f MB/s\n", size_mb / our_wall);
    std::printf("settlement_plain_getline: %.1f MB/s\n", size_mb / plain_cpu);
    std::printf("settlement_plain_getline_cpu_time: %.3f s\n", plain_cpu);
    std::printf("settlement_plain_getline_wall: %.1f MB/s\n", size_mb / plain_wall);
    std::printf("settlement_peak_memory_growth: %.2f MB\n",
                static_cast<double>(peak_growth) / (1024.0 * 1024.0));
    std::printf("process_peak_rss: %.2f MB\n",
                static_cast<double>(test::peak_rss_bytes()) / (1024.0 * 1024.0));
    std::printf("ratio settlement_vs_getline: %.2f (target ≥ 0.5)\n", plain_cpu / our_cpu);
    std::printf("ratio settlement_vs_getline_wall: %.2f (target ≥ 0.5)\n", plain_wall / our_wall);
    std::printf("ratio settlement_peak_memory_vs_32MB: %.2f (target ≤ 1)\n",
                static_cast<double>(peak_growth) / (32.0 * 1024 * 1024));
    if (!ok) {
        std::fprintf(stderr, "bench_settlement: the parse did not produce a postable journal\n");
        return 1;
    }
    return 0;
}
