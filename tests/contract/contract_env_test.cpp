// The live run's guard: which database names count as test databases (contract_main refuses the
// others unless --i-know), and the run prefix every created record carries.
#include "contract_env.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace clarity::contract {
namespace {

TEST(ContractGuard, TestLikeDatabaseNamesAreAccepted) {
    for (const char* db : {"odoo18_test", "TEST", "shop-staging", "stage2", "demo", "acme_sandbox",
                           "scratch", "throwaway1", "shop_dev", "qa", "erp-uat", "ci", "tmp_7"}) {
        EXPECT_FALSE(test_database_reason(db).empty()) << db;
    }
}

TEST(ContractGuard, OtherDatabaseNamesAreRefused) {
    // Short markers count only as whole words: "device", "squad", "temple" are not test names.
    for (const char* db :
         {"shop", "production", "acme", "device_shop", "squad", "temple", "odoo18", ""}) {
        EXPECT_TRUE(test_database_reason(db).empty()) << db << ": " << test_database_reason(db);
    }
}

TEST(ContractGuard, TheRunPrefixNamesTheTimeAndTheProcess) {
    // cct-<UTC yyyymmddhhmmss>-<pid>-: two runs at once never share a prefix, so one run's
    // cleanup and sweep never touch another's records.
    EXPECT_TRUE(std::regex_match(run_prefix(), std::regex(R"(cct-\d{14}-\d+-)"))) << run_prefix();
}

}  // namespace
}  // namespace clarity::contract
