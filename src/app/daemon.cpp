// `run`: wires the components, serves the admin API, talks to systemd and stops cleanly on
// SIGTERM/SIGINT.
#include <fcntl.h>
#include <sys/file.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "admin_routes.hpp"
#include "builtin_flows.hpp"
#include "clarity/core/log.hpp"
#include "clarity/core/metrics.hpp"
#include "clarity/core/random.hpp"
#include "clarity/core/version.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/store/async_store.hpp"
#include "clarity/store/options.hpp"
#include "commands.hpp"
#include "odoo_hooks.hpp"
#include "settings.hpp"
#include "wiring.hpp"

namespace clarity::app {

namespace asio = boost::asio;

namespace {

/// One daemon per store: an exclusive flock on `<store>.lock`, held for the process's life (the
/// kernel drops it when the process dies, however it dies). Owning the store is what makes it
/// safe to requeue at start the jobs an earlier process left leased (Store::recover_leases).
class StoreLock {
  public:
    explicit StoreLock(const std::string& store_path) : path_(store_path + ".lock") {
        fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw std::runtime_error("cannot open the lock file " + path_ + ": " +
                                     std::strerror(errno));
        }
        if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
            char pid[32] = {};
            const auto n = ::pread(fd_, pid, sizeof pid - 1, 0);
            ::close(fd_);
            throw std::runtime_error(
                "another clarity-connect daemon is using the store " + store_path +
                (n > 0 ? " (pid " + std::string(pid, static_cast<std::size_t>(n)) + ")" : "") +
                "; stop it first, or give this daemon its own store.path");
        }
        const auto text = std::to_string(::getpid());
        if (::ftruncate(fd_, 0) != 0 ||
            ::pwrite(fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
            // The pid is only informative; the lock itself is held.
        }
    }
    ~StoreLock() { ::close(fd_); }
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

  private:
    std::string path_;
    int fd_ = -1;
};

// Sends a state line to systemd when NOTIFY_SOCKET is set (sd_notify is a no-op otherwise).
void notify(const std::string& state) {
    if (std::getenv("NOTIFY_SOCKET") != nullptr) sd_notify(0, state.c_str());
}

// WATCHDOG=1 at the configured interval, else at half of systemd's WatchdogSec.
std::optional<std::chrono::milliseconds> watchdog_interval(const DaemonOptions& options) {
    if (std::getenv("NOTIFY_SOCKET") == nullptr) return std::nullopt;
    if (options.watchdog_interval) return options.watchdog_interval;
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        return std::chrono::milliseconds(std::max<std::uint64_t>(usec / 2000, 1));
    }
    return std::nullopt;
}

struct Daemon {
    explicit Daemon(const Settings& s)
        : settings(s),
          signals(io, SIGINT, SIGTERM),
          watchdog(io),
          admin(io, s.admin),
          log("daemon") {}

    const Settings& settings;
    asio::io_context io{1};
    asio::signal_set signals;
    asio::steady_timer watchdog;
    core::MetricsRegistry metrics;
    Readiness readiness;
    net::HttpServer admin;
    core::Log log;
    DefaultRandom random;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::AsyncStore> async_store;
    asio::steady_timer maintenance{io};
    std::unique_ptr<Wiring> wiring;  // after the store: destroyed before it
    bool stopping = false;
    int exit_code = kExitOk;
};

struct LogFailure {
    core::Log log;
    void operator()(std::exception_ptr e) const {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log.critical("daemon task failed: {}", ex.what());
        }
    }
};

// Store maintenance: purges done jobs, expired ledger keys and audit entries every few minutes.
asio::awaitable<void> maintain_store(Daemon* d) {
    while (!d->stopping) {
        std::function<Result<store::PurgeReport>(store::Store&)> purge = [](store::Store& s) {
            return s.purge_expired();
        };
        auto report = co_await d->async_store->call(std::move(purge));
        if (!report) {
            d->log.warn("store maintenance failed: {}", report.error().describe());
        } else if (report->done_jobs + report->ledger_keys + report->audit_entries > 0) {
            d->log.info("store maintenance purged {} done jobs, {} ledger keys, {} audit entries",
                        report->done_jobs, report->ledger_keys, report->audit_entries);
        }
        d->maintenance.expires_after(std::chrono::minutes(5));
        auto [ec] = co_await d->maintenance.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) break;
    }
}

asio::awaitable<void> ping_watchdog(Daemon* d, std::chrono::milliseconds interval) {
    while (!d->stopping) {
        notify("WATCHDOG=1");
        d->watchdog.expires_after(interval);
        auto [ec] = co_await d->watchdog.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec) break;
    }
}

// Waits for SIGTERM/SIGINT, then stops in order: readiness off, no new connections, in-flight
// requests finish (bounded by daemon.shutdown_timeout), then the event loop ends.
asio::awaitable<void> exit_on_second_signal(Daemon* d) {
    auto [ec, signal] = co_await d->signals.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    d->log.warn("received a second {}; exiting without waiting for work in flight",
                signal == SIGTERM ? "SIGTERM" : "SIGINT");
    d->io.stop();
}

// Stops in order: readiness off, triggers and engine drain (bounded by daemon.shutdown_timeout),
// no new admin connections, in-flight requests finish, then the event loop ends.
asio::awaitable<void> shut_down(Daemon* d) {
    if (d->stopping) co_return;
    d->stopping = true;
    notify("STOPPING=1");
    d->watchdog.cancel();
    d->maintenance.cancel();
    if (d->wiring) co_await d->wiring->stop(d->settings.daemon.shutdown_timeout);
    co_await d->admin.shutdown(d->settings.daemon.shutdown_timeout);
    d->signals.cancel();
    d->io.stop();
}

asio::awaitable<void> stop_on_signal(Daemon* d) {
    auto [ec, signal] = co_await d->signals.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    asio::co_spawn(d->io, exit_on_second_signal(d), LogFailure{d->log});
    d->log.info("received {}; stopping (deadline {} ms)", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                d->settings.daemon.shutdown_timeout.count());
    co_await shut_down(d);
}

}  // namespace

int run_daemon(const Settings& settings) {
    core::configure_logging(settings.log);
    Daemon d(settings);

    register_process_metrics(d.metrics);
    d.readiness.add("daemon", [&d]() -> std::optional<std::string> {
        if (d.stopping) return "stopping";
        return std::nullopt;
    });
    std::unique_ptr<StoreLock> store_lock;
    try {
        store_lock = std::make_unique<StoreLock>(settings.store.path);
    } catch (const std::exception& e) {
        fail(kExitRuntime, e.what());
    }
    try {
        d.store =
            store::open_store(settings.store, {SystemClock::instance(), d.random, &d.metrics});
    } catch (const std::exception& e) {
        fail(kExitRuntime, std::string("cannot open the store: ") + e.what());
    }
    // Jobs left leased by an earlier process of this store (it crashed or was killed) go back
    // to the queue now rather than when their leases run out.
    if (auto recovered = d.store->recover_leases(); !recovered) {
        fail(kExitRuntime, "cannot recover the jobs of the last run: " + recovered.error().message);
    }
    d.async_store = std::make_unique<store::AsyncStore>(*d.store);
    d.readiness.add("store", [&d]() -> std::optional<std::string> {
        const auto health = d.store->health();
        if (health.ready) return std::nullopt;
        return health.reason;
    });
    try {
        d.wiring = std::make_unique<Wiring>(Wiring::Deps{.io = d.io,
                                                         .settings = settings,
                                                         .registry = builtin_flows(),
                                                         .store = *d.async_store,
                                                         .metrics = d.metrics,
                                                         .clock = SystemClock::instance(),
                                                         .random = d.random,
                                                         .only_connection = {}});
    } catch (const core::ConfigError& e) {
        fail(kExitUsage, e.what());
    } catch (const mapping::TemplateError& e) {
        fail(kExitUsage, std::string("mapping template: ") + e.what());
    } catch (const std::exception& e) {
        fail(kExitRuntime, std::string("cannot set up the connections: ") + e.what());
    }
    d.wiring->add_readiness(d.readiness);
    d.wiring->on_fatal([&d](int code, std::string message) {
        std::cerr << "clarity-connect: " << message << "\n";
        d.exit_code = code;
        asio::co_spawn(d.io, shut_down(&d), LogFailure{d.log});
    });
    add_health_routes(d.admin, d.readiness, d.metrics);
    add_odoo_hook_routes(d.admin, *d.wiring, settings, d.metrics);

    try {
        d.admin.listen();
    } catch (const std::exception& e) {
        fail(kExitRuntime, e.what());
    }
    d.admin.start();
    asio::co_spawn(d.io, stop_on_signal(&d), LogFailure{d.log});
    asio::co_spawn(d.io, maintain_store(&d), LogFailure{d.log});
    if (auto interval = watchdog_interval(settings.daemon)) {
        asio::co_spawn(d.io, ping_watchdog(&d, *interval), LogFailure{d.log});
    }

    const std::string listening = settings.admin.host + ":" + std::to_string(d.admin.port());
    d.log.info("{} {} started; admin server listening on {}", kProductName, kVersion, listening);
    notify("READY=1\nSTATUS=admin server listening on " + listening);

    d.wiring->start();

    d.io.run();
    d.log.info("stopped");
    return d.exit_code;
}

}  // namespace clarity::app
