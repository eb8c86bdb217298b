// The daemon installed as a user or a package installs it: `cmake --install` into a DESTDIR with
// prefix /usr, then the installed binary with its configuration in a folder of its own (no mapping
// section, no templates beside it) imports the sandbox's orders; and the .deb built by CPack from
// the same install rules holds the daemon, the templates, the unit and the maintainer scripts.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "e2e/orders/daemon_process.hpp"
#include "sandbox/daemon_config.hpp"
#include "sandbox/scenario.hpp"
#include "support/temp_dir.hpp"
#include "support/test_env.hpp"

namespace clarity::test {
namespace {

namespace fs = std::filesystem;
namespace sb = fakes::sandbox;
using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

bool is_executable(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && (st.st_mode & S_IXUSR) != 0;
}

/// `cmake --install <build tree> --prefix /usr` with DESTDIR=`stage`; returns the exit code.
int install_into(const fs::path& stage, const std::string& log) {
    return e2e::run({"/usr/bin/env", "DESTDIR=" + stage.string(), CLARITY_CMAKE_COMMAND,
                     "--install", binary_dir().string(), "--prefix", "/usr"},
                    log);
}

TEST(InstalledDaemon, FindsTheInstalledTemplatesAndImportsOrdersWithItsConfigElsewhere) {
    TempDir dir;
    const auto stage = dir / "stage";
    const auto log = (dir / "install.log").string();
    ASSERT_EQ(install_into(stage, log), 0) << e2e::read_file(log);

    const auto exe = stage / "usr/bin/clarity-connect";
    EXPECT_TRUE(is_executable(exe));
    for (const char* t : {"order_import", "partner_import", "product_export", "shipment_confirm",
                          "settlement_accounts"}) {
        EXPECT_TRUE(fs::is_regular_file(stage / "usr/share/clarity-connect/mapping" /
                                        (std::string(t) + ".yaml")))
            << t;
    }
    EXPECT_TRUE(fs::is_regular_file(
        stage / "usr/share/doc/clarity-connect/examples/clarity-connect.example.yaml"));
    EXPECT_TRUE(fs::is_regular_file(stage / "usr/share/doc/clarity-connect/README.md"));
    EXPECT_TRUE(fs::is_regular_file(stage / "usr/share/doc/clarity-connect/docs/operations.md"));
    const auto unit = read_file(stage / "usr/lib/systemd/system/clarity-connect.service");
    EXPECT_TRUE(contains(unit,
                         "\nExecStart=/usr/bin/clarity-connect run -c "
                         "/etc/clarity-connect/clarity-connect.yaml\n"))
        << unit;
    EXPECT_TRUE(contains(unit, "Documentation=file:///usr/share/doc/clarity-connect/README.md"));
    EXPECT_FALSE(contains(unit, "@BINDIR@") || contains(unit, "@DOCDIR@")) << unit;

    // The sandbox: fake SP-API (published usage plans, sped up) and fake Odoo, a few orders.
    fakes::sp_api::FakeOptions ao;
    ao.speed_up = 200;
    ao.enforce_quota = true;
    fakes::sp_api::FakeSpApi amazon(SystemClock::instance(), ao);
    fakes::odoo::FakeOdooOptions oo;
    oo.verify_journal = false;
    fakes::odoo::FakeOdooServer odoo(oo);
    sb::ScenarioOptions so;
    so.orders = 12;
    so.seed = 5;
    so.speed = 600;  // creation over 1 s, the last changes within a few seconds
    so.start = SystemClock::instance().now() + 500ms;
    const auto scenario = sb::generate(so);
    sb::seed_odoo(scenario, odoo.odoo());
    sb::seed_amazon(scenario, amazon);

    // The configuration in a folder of its own, as /etc/clarity-connect: no `mapping:` section and
    // no templates beside it, so only the installed share/clarity-connect/mapping can serve.
    const auto etc = dir / "etc" / "clarity-connect";
    fs::create_directories(etc);
    sb::DaemonConfigOptions dc;
    dc.store_path = (dir / "var" / "clarity.db").string();
    fs::create_directories(dir / "var");
    dc.rate_scale = ao.speed_up;
    dc.sweep_interval = "2s";
    dc.store_extra = "  retry:\n    base: 100ms\n    cap: 1s\n    max_attempts: 30\n";
    const auto config = (etc / "clarity-connect.yaml").string();
    std::ofstream(config) << sb::daemon_config(dc, amazon, odoo.base_url(), oo);
    ASSERT_FALSE(contains(read_file(config), "mapping:"));

    const auto daemon_log = (dir / "daemon.log").string();
    ASSERT_EQ(e2e::run({exe.string(), "config", "check", "-c", config}, daemon_log), 0)
        << e2e::read_file(daemon_log);
    e2e::Process daemon({exe.string(), "run", "-c", config}, daemon_log);

    auto done = [](const sb::Status& st) {
        return st.awaiting_amazon == 0 &&
               st.final_state == st.seeded - 1;  // all but the unknown SKU
    };
    auto st = sb::check(scenario, odoo.odoo(), SystemClock::instance().now());
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    // Polling the fakes' state: the daemon is another process, there is nothing to join.
    while (!done(st) && daemon.running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(100ms);
        st = sb::check(scenario, odoo.odoo(), SystemClock::instance().now());
    }
    ASSERT_TRUE(done(st)) << sb::to_json(st) << "\n" << e2e::read_file(daemon_log).substr(0, 4000);
    EXPECT_EQ(st.duplicates, 0);
    EXPECT_GT(st.in_odoo, 0);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(30s), 0) << e2e::read_file(daemon_log);
}

TEST(DebianPackage, HoldsTheDaemonTemplatesUnitDocsAndMaintainerScripts) {
    TempDir dir;
    const auto log = (dir / "cpack.log").string();
    ASSERT_EQ(e2e::run({CLARITY_CPACK_COMMAND, "-G", "DEB", "--config",
                        (binary_dir() / "CPackConfig.cmake").string(), "-B", dir.path().string()},
                       log),
              0)
        << e2e::read_file(log);
    fs::path deb;
    for (const auto& e : fs::directory_iterator(dir.path())) {
        if (e.path().extension() == ".deb") deb = e.path();
    }
    ASSERT_FALSE(deb.empty()) << e2e::read_file(log);
    EXPECT_EQ(deb.filename().string().rfind("clarity-connect_", 0), 0u) << deb;

    const auto list_log = (dir / "contents.txt").string();
    ASSERT_EQ(e2e::run({CLARITY_DPKG_DEB, "-c", deb.string()}, list_log), 0);
    const auto contents = e2e::read_file(list_log);
    for (const char* f :
         {"./usr/bin/clarity-connect", "./usr/share/clarity-connect/mapping/order_import.yaml",
          "./usr/lib/systemd/system/clarity-connect.service",
          "./usr/share/doc/clarity-connect/examples/clarity-connect.example.yaml",
          "./usr/share/doc/clarity-connect/README.md",
          "./usr/share/doc/clarity-connect/docs/operations.md"}) {
        EXPECT_TRUE(contains(contents, std::string(" ") + f + "\n")) << f << "\n" << contents;
    }
    EXPECT_FALSE(contains(contents, "/usr/local")) << contents;
    EXPECT_TRUE(contains(contents, "-rwxr-xr-x root/root")) << contents;

    const auto control = dir / "control";
    ASSERT_EQ(e2e::run({CLARITY_DPKG_DEB, "-e", deb.string(), control.string()}, log), 0)
        << e2e::read_file(log);
    const auto fields = read_file(control / "control");
    EXPECT_TRUE(contains(fields, "Package: clarity-connect\n")) << fields;
    EXPECT_TRUE(contains(fields, "adduser")) << fields;
    EXPECT_TRUE(contains(fields, "libsqlite3")) << fields;  // from dpkg-shlibdeps
    for (const char* script : {"postinst", "prerm", "postrm"}) {
        EXPECT_TRUE(is_executable(control / script)) << script;
        const auto check_log = (dir / (std::string(script) + ".sh-n")).string();
        EXPECT_EQ(e2e::run({"/bin/sh", "-n", (control / script).string()}, check_log), 0)
            << script << ": " << e2e::read_file(check_log);
    }
    const auto postinst = read_file(control / "postinst");
    EXPECT_TRUE(contains(postinst, "adduser --system")) << postinst;
    EXPECT_TRUE(contains(postinst,
                         "install -d -o clarity-connect -g clarity-connect -m 0750 "
                         "/var/lib/clarity-connect"));
    EXPECT_TRUE(contains(postinst, "deb-systemd-helper enable"));
    // Started only once the configuration exists.
    EXPECT_TRUE(contains(postinst, "if [ -f \"$CONFIG\" ]; then"));
    EXPECT_TRUE(contains(postinst, "CONFIG=/etc/clarity-connect/clarity-connect.yaml"));
    EXPECT_TRUE(contains(read_file(control / "prerm"), "deb-systemd-invoke stop"));
    EXPECT_TRUE(contains(read_file(control / "postrm"), "deb-systemd-helper purge"));

    // The packaged unit runs the packaged binary and waits for the configuration.
    const auto root = dir / "root";
    ASSERT_EQ(e2e::run({CLARITY_DPKG_DEB, "-x", deb.string(), root.string()}, log), 0);
    const auto unit = read_file(root / "usr/lib/systemd/system/clarity-connect.service");
    EXPECT_TRUE(contains(unit,
                         "\nExecStart=/usr/bin/clarity-connect run -c "
                         "/etc/clarity-connect/clarity-connect.yaml\n"))
        << unit;
    EXPECT_TRUE(contains(unit, "\nUser=clarity-connect\n"));
    EXPECT_TRUE(
        contains(unit, "\nConditionPathExists=/etc/clarity-connect/clarity-connect.yaml\n"));
}

}  // namespace
}  // namespace clarity::test
