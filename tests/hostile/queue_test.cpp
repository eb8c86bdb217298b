// Hostile queue commands (issue #18 item 7): a job id that does not exist is named as such, not
// taken for a job that is not dead.
#include <gtest/gtest.h>

#include "hostile.hpp"

namespace clarity::hostile {
namespace {

TEST(HostileQueue, ReplayOrPurgeOfAJobThatDoesNotExistSaysNoSuchJob) {
    test::TempDir dir;
    const auto config = write_file(
        dir, "c.yaml", "store: {path: \"" + (dir / "c.db").string() + "\"}\n" + connections_yaml());
    // A read-write command creates the store; nothing is dead yet.
    const auto created = run_cli({"queue", "purge", "--all", "-c", config});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    for (const char* verb : {"replay", "purge"}) {
        const auto r = run_cli({"queue", verb, "999999", "-c", config});
        EXPECT_EQ(r.exit_code, 1) << verb << ": " << r.err;
        EXPECT_NE(r.err.find("no such job 999999"), std::string::npos) << verb << ": " << r.err;
        EXPECT_EQ(r.err.find("not a dead letter"), std::string::npos) << verb << ": " << r.err;
        EXPECT_LT(r.elapsed, 5s);
    }
}

}  // namespace
}  // namespace clarity::hostile
