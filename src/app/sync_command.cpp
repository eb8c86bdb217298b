// `sync orders`: the manual backfill of the order import (docs/triggers.md).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>

#include "builtin_flows.hpp"
#include "clarity/core/log.hpp"
#include "clarity/core/random.hpp"
#include "clarity/flows/order_triggers.hpp"
#include "clarity/mapping/template.hpp"
#include "clarity/model/timestamp.hpp"
#include "clarity/store/options.hpp"
#include "commands.hpp"
#include "settings.hpp"
#include "wiring.hpp"

namespace clarity::app {

namespace {

namespace asio = boost::asio;

struct SyncArgs {
    std::string file;
    std::string connection;
    std::string since;
    std::string until;
    bool run = false;
};

// Runs `task` on `io` until it completes. The work guard keeps the loop alive while the task
// waits on the store thread; pooled connections may leave other work pending, so stop at `done`.
template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr error;
    bool done = false;
    auto guard = asio::make_work_guard(io);
    asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
        error = e;
        if (!e) out.emplace(std::move(value));
        done = true;
    });
    io.restart();
    while (!done) io.run_one();
    if (error) std::rethrow_exception(error);
    return std::move(*out);
}

std::string normalized_time(const std::string& text, const char* option) {
    auto t = model::parse_timestamp(text);
    if (!t) {
        fail(kExitUsage, std::string(option) + ": '" + text +
                             "' is not a timestamp (use e.g. 2026-11-01T00:00:00Z or 2026-11-01)");
    }
    return model::format_iso8601(*t);
}

void sync_orders(const SyncArgs& args) {
    Settings settings;
    try {
        settings = load_settings(args.file);
    } catch (const core::ConfigError& e) {
        fail(kExitUsage, e.what());
    }
    core::configure_logging(settings.log);
    const auto* connection = settings.connection(args.connection);
    if (connection == nullptr) {
        std::string known;
        for (const auto& c : settings.connection_settings)
            known += (known.empty() ? "" : ", ") + c.name;
        fail(kExitUsage, "no connection named '" + args.connection + "' in " + args.file +
                             " (connections: " + known + ")");
    }
    const std::string since = normalized_time(args.since, "--since");
    const std::string until =
        args.until.empty() ? std::string{} : normalized_time(args.until, "--until");
    if (!until.empty() && until <= since) fail(kExitUsage, "--until must be later than --since");

    DefaultRandom random;
    core::MetricsRegistry metrics;
    std::unique_ptr<store::Store> store;
    try {
        store = store::open_store(settings.store, {SystemClock::instance(), random, &metrics});
    } catch (const std::exception& e) {
        fail(kExitRuntime, std::string("cannot open the store: ") + e.what());
    }
    store::AsyncStore async_store(*store);
    asio::io_context io{1};
    std::unique_ptr<Wiring> wiring;
    try {
        // --run builds every connection: the engine runs every ready job, as the daemon would.
        wiring = std::make_unique<Wiring>(
            Wiring::Deps{.io = io,
                         .settings = settings,
                         .registry = builtin_flows(),
                         .store = async_store,
                         .metrics = metrics,
                         .clock = SystemClock::instance(),
                         .random = random,
                         .only_connection = args.run ? std::string{} : args.connection});
    } catch (const core::ConfigError& e) {
        fail(kExitUsage, e.what());
    } catch (const mapping::TemplateError& e) {
        fail(kExitUsage, std::string("mapping template: ") + e.what());
    } catch (const std::exception& e) {
        fail(kExitRuntime, std::string("cannot set up the connection: ") + e.what());
    }
    auto report = run_sync(
        io, flows::backfill_orders(args.connection, *wiring->amazon(args.connection), async_store,
                                   metrics, since, until, connection->order_triggers.page_size));
    std::cout << "sync orders [" << args.connection << "]: orders updated from " << since
              << (report.to.empty() ? std::string{} : " to " + report.to) << ": " << report.orders
              << " orders in " << report.pages << " pages, " << report.counts.enqueued
              << " enqueued, " << report.counts.duplicates << " duplicates"
              << (report.counts.refused == 0
                      ? std::string{}
                      : ", " + std::to_string(report.counts.refused) +
                            " refused (order id not of Amazon's shape, see the log)")
              << std::endl;
    if (report.error) {
        fail(kExitRuntime, "stopped early: " + report.error->describe() +
                               " (orders read so far are enqueued; running the same command "
                               "again is safe, they count as duplicates)");
    }
    if (!args.run) return;
    for (const auto& u : wiring->unavailable_flows()) {
        std::cerr << "clarity-connect: warning: flow " << u
                  << " is enabled but not part of this build; its jobs stay in the queue\n";
    }
    auto prepared = run_sync(io, wiring->prepare_flows());
    if (!prepared) {
        const auto& e = prepared.error();
        fail(
            e.kind == ErrorKind::permanent || e.kind == ErrorKind::auth ? kExitUsage : kExitRuntime,
            e.message);
    }
    const auto ran = run_sync(io, wiring->engine().run_until_idle());
    std::cout << "ran " << ran << " jobs until the queue was idle" << std::endl;
}

}  // namespace

void add_sync_commands(CLI::App& app) {
    auto* sync = app.add_subcommand("sync", "Manual backfills into the queue");
    sync->require_subcommand(1);
    auto args = std::make_shared<SyncArgs>();
    auto* orders = sync->add_subcommand(
        "orders", "Enqueue an order_import job for every order Amazon updated in a time window");
    orders->add_option("-c,--config", args->file, "YAML configuration file")->required();
    orders->add_option("--connection", args->connection, "Connection name (connections[].name)")
        ->required();
    orders->add_option("--since", args->since, "Orders last updated at or after this UTC time")
        ->required();
    orders->add_option("--until", args->until, "... and before this UTC time (default: now)");
    orders->add_flag("--run", args->run, "Then run the engine in this process until idle");
    orders->callback([args] { sync_orders(*args); });
}

}  // namespace clarity::app
