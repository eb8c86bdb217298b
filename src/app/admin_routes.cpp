#include "admin_routes.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

#include "clarity/core/version.hpp"

namespace clarity::app {

void Readiness::add(std::string name, Check check) {
    std::lock_guard lock(mutex_);
    checks_.emplace_back(std::move(name), std::move(check));
}

void Readiness::add_info(std::string name, Info info) {
    std::lock_guard lock(mutex_);
    infos_.emplace_back(std::move(name), std::move(info));
}

Readiness::Report Readiness::evaluate() const {
    std::vector<std::pair<std::string, Check>> checks;
    std::vector<std::pair<std::string, Info>> infos;
    {
        std::lock_guard lock(mutex_);
        checks = checks_;
        infos = infos_;
    }
    Report report;
    for (const auto& [name, check] : checks) {
        std::optional<std::string> problem;
        try {
            problem = check();
        } catch (const std::exception& e) {
            problem = std::string("check failed: ") + e.what();
        }
        if (problem) {
            report.ready = false;
            report.text += "fail " + name + ": " + *problem + "\n";
        } else {
            report.text += "ok " + name + "\n";
        }
    }
    for (const auto& [name, info] : infos) {
        std::optional<std::string> text;
        try {
            text = info();
        } catch (const std::exception& e) {
            text = std::string("unknown: ") + e.what();
        }
        if (text) report.text += "info " + name + ": " + *text + "\n";
    }
    return report;
}

namespace {

double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    long pages_total = 0, pages_resident = 0;
    if (!(statm >> pages_total >> pages_resident)) return 0;
    return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double virtual_bytes() {
    std::ifstream statm("/proc/self/statm");
    long pages_total = 0;
    if (!(statm >> pages_total)) return 0;
    return static_cast<double>(pages_total) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
    auto secs = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

double open_fds() {
    std::error_code ec;
    double n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
        ++n;
    }
    return n > 0 ? n - 1 : 0;  // minus the descriptor the iteration itself holds
}

double max_fds() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    return static_cast<double>(limit.rlim_cur);
}

}  // namespace

void register_process_metrics(core::MetricsRegistry& registry) {
    using clock = std::chrono::system_clock;
    const double start = std::chrono::duration<double>(clock::now().time_since_epoch()).count();
    const auto started = std::chrono::steady_clock::now();
    registry
        .gauge("clarity_build_info", "Build information; the value is always 1.",
               {{"version", kVersion}})
        .set(1);
    registry.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch.")
        .set(start);
    registry.gauge_callback(
        "clarity_uptime_seconds", "Seconds since the daemon started.", {}, [started] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                .count();
        });
    registry.gauge_callback("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                            resident_bytes);
    registry.gauge_callback("process_virtual_memory_bytes", "Virtual memory size in bytes.", {},
                            virtual_bytes);
    registry.gauge_callback("process_open_fds", "Open file descriptors.", {}, open_fds);
    registry.gauge_callback("process_max_fds", "Limit of open file descriptors.", {}, max_fds);
    // A counter cannot be read by callback; advance it to the kernel's figure before each render.
    auto& cpu = registry.counter("process_cpu_seconds_total",
                                 "User and system CPU time spent, in seconds.");
    auto guard = std::make_shared<std::mutex>();  // two renders at once must not add twice
    registry.add_collector([&cpu, guard] {
        std::lock_guard lock(*guard);
        const double now = cpu_seconds();
        if (now > cpu.value()) cpu.inc(now - cpu.value());
    });
}

void add_health_routes(net::HttpServer& server,
                       const Readiness& readiness,
                       const core::MetricsRegistry& registry) {
    server.route("GET", "/healthz", net::Access::probe,
                 net::SyncHandler([](const net::ServerRequest&) {
                     return net::ServerResponse{.body = "ok\n"};
                 }));
    server.route("GET", "/readyz", net::Access::probe,
                 net::SyncHandler([&readiness](const net::ServerRequest&) {
                     const auto report = readiness.evaluate();
                     return net::ServerResponse{.status = report.ready ? 200 : 503,
                                                .body = report.text};
                 }));
    server.route("GET", "/metrics", net::Access::token_if_set,
                 net::SyncHandler([&registry](const net::ServerRequest&) {
                     return net::ServerResponse{
                         .content_type = "text/plain; version=0.0.4; charset=utf-8",
                         .body = registry.render()};
                 }));
}

}  // namespace clarity::app
