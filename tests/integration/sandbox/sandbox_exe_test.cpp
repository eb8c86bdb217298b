// The clarity-sandbox executable as a user runs it: it writes the port file and a daemon config
// that `clarity-connect config check` accepts, serves /sandbox/status, plays the timeline and
// stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "admin/http_probe.hpp"
#include "e2e/orders/daemon_process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::test {
namespace {

using namespace std::chrono_literals;

std::string bin(const std::string& rel) { return binary_dir().string() + rel; }

std::string value(const std::string& file, const std::string& key) {
    const auto at = file.find(key + "=");
    if (at == std::string::npos) return {};
    const auto start = at + key.size() + 1;
    return file.substr(start, file.find('\n', start) - start);
}

nlohmann::json get_status(const std::string& url) {
    // url: http://127.0.0.1:PORT/sandbox/status
    const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    Probe p(port);
    p.send("GET /sandbox/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    auto r = p.read_response();
    EXPECT_EQ(r.status, 200) << r.head;
    return nlohmann::json::parse(r.body);
}

TEST(SandboxExecutable, WritesAValidConfigServesStatusAndStopsOnSigterm) {
    TempDir dir;
    const auto ports = (dir / "ports").string();
    const auto config = (dir / "cfg" / "clarity-connect.yaml").string();
    const auto log = (dir / "sandbox.log").string();
    e2e::Process sandbox({bin("/src/sandbox/clarity-sandbox"), "--orders", "12", "--seed", "4",
                          "--speed", "3000", "--delay", "0.5", "--config-out", config,
                          "--port-file", ports, "--store", (dir / "db" / "c.db").string(),
                          "--mapping-dir", (source_dir() / "config/mapping").string()},
                         log);
    // The port file appears once everything listens (written atomically).
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (e2e::read_file(ports).empty() && std::chrono::steady_clock::now() < deadline) {
        ASSERT_TRUE(sandbox.running()) << e2e::read_file(log);
        std::this_thread::sleep_for(20ms);
    }
    const auto file = e2e::read_file(ports);
    ASSERT_FALSE(file.empty()) << e2e::read_file(log);
    EXPECT_EQ(value(file, "config"), config);
    // config check refuses a store whose directory does not exist, as run does.
    std::filesystem::create_directories(dir / "db");
    EXPECT_EQ(e2e::run({bin("/src/app/clarity-connect"), "config", "check", "-c", config},
                       (dir / "check.log").string()),
              0)
        << e2e::read_file((dir / "check.log").string());

    const auto url = value(file, "status_url");
    auto first = get_status(url);
    EXPECT_EQ(first["seeded"], 12);
    EXPECT_EQ(first["in_odoo"], 0);
    EXPECT_EQ(first["unknown_sku"], "CC-NEW-001");
    // At 3000x the whole timeline (creation over 10 min, a few changes 3 min apart) plays within
    // about a second of real time.
    auto later = first;
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (later["awaiting_amazon"] != 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(50ms);
        later = get_status(url);
    }
    EXPECT_EQ(later["created_on_amazon"], 12);
    EXPECT_EQ(later["awaiting_amazon"], 0);
    EXPECT_EQ(later["dead_letter_expected"], 1);  // nothing imports it: no daemon here
    EXPECT_GT(later["amazon"]["queue_waiting"].get<int>(), 12);  // ORDER_CHANGE messages

    sandbox.signal(SIGTERM);
    EXPECT_EQ(sandbox.wait(10s), 0) << e2e::read_file(log);
    EXPECT_NE(e2e::read_file(log).find("stopping"), std::string::npos);
}

TEST(SandboxExecutable, RejectsBadFlagsWithUsageError) {
    TempDir dir;
    const auto log = (dir / "log").string();
    EXPECT_NE(e2e::run({bin("/src/sandbox/clarity-sandbox"), "--orders", "0"}, log), 0);
    EXPECT_NE(e2e::read_file(log).find("--orders"), std::string::npos) << e2e::read_file(log);
}

}  // namespace
}  // namespace clarity::test
