// Baseline hostile cases: the executable refuses garbage arguments and unreadable or non-YAML
// configuration quickly, with exit 2 and one line, and its admin server answers malformed requests
// with 400 and keeps serving.
#include <gtest/gtest.h>

#include <filesystem>

#include "hostile.hpp"

namespace clarity::hostile {
namespace {

int count_lines(const std::string& s) {
    return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

TEST(HostileSmoke, UnknownCommandIsAUsageError) {
    const auto r = run_cli({"\x1b[31mrm", "-rf"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_LT(r.elapsed, 3s);
}

TEST(HostileSmoke, BinaryGarbageAsConfigIsRefusedOnOneLine) {
    test::TempDir dir;
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
    const auto r = run_cli({"config", "check", "-c", write_file(dir, "c.yaml", garbage)});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_LT(r.elapsed, 3s);
}

TEST(HostileSmoke, DirectoryOrMissingConfigIsRefused) {
    test::TempDir dir;
    for (const auto& path : {dir.path().string(), (dir / "missing.yaml").string()}) {
        const auto r = run_cli({"config", "check", "-c", path});
        EXPECT_EQ(r.exit_code, 2) << path << ": " << r.err;
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
    }
}

TEST(HostileSmoke, AdminServerAnswersGarbageWith400AndKeepsServing) {
    test::TempDir dir;
    const auto config = write_file(dir, "c.yaml",
                                   "admin: {listen: \"127.0.0.1:0\"}\nstore: {path: \"" +
                                       (dir / "c.db").string() + "\"}\n" + connections_yaml());
    Daemon daemon(dir, config);
    EXPECT_EQ(status_of(exchange(daemon.port(), "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")),
              400);
    EXPECT_EQ(status_of(exchange(daemon.port(),
                                 "GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                 "Connection: close\r\n\r\n")),
              200);
}

}  // namespace
}  // namespace clarity::hostile
