// The contract suite's entry point. Without ODOO_URL it runs against the fake Odoo (ctest, label
// contract). With ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY it runs against that server
// (make test-odoo): the database must look like a test database unless --i-know is given (or
// ODOO_I_KNOW=1), the version is read first, and records left by the run are swept at the end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "contract_env.hpp"

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

/// 0 when the tests may run against the live server (set), else the exit code.
int prepare_live(bool i_know) {
    using namespace clarity::contract;
    const std::vector<const char*> names{"ODOO_URL", "ODOO_DB", "ODOO_USER", "ODOO_API_KEY"};
    std::vector<std::string> missing;
    for (const char* n : names) {
        if (env(n).empty()) missing.emplace_back(n);
    }
    if (missing.size() == names.size()) return 0;  // the fake
    if (!missing.empty()) {
        std::cerr
            << "odoo contract: a live run needs ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY;"
               " missing:";
        for (const auto& m : missing) std::cerr << ' ' << m;
        std::cerr << "\n";
        return 2;
    }
    LiveServer live{env("ODOO_URL"), env("ODOO_DB"), env("ODOO_USER"), env("ODOO_API_KEY"), 0};
    std::string why = test_database_reason(live.database);
    if (why.empty() && !i_know) {
        std::cerr << "odoo contract: refusing database '" << live.database
                  << "': it does not look like a test database (no 'test', 'staging', 'demo', "
                     "'sandbox', 'dev', 'qa', 'uat' in its name). The suite creates and removes "
                     "records named '"
                  << run_prefix()
                  << "…'. Run it against a copy; if this database is one, pass --i-know "
                     "(make test-odoo … ODOO_I_KNOW=1).\n";
        return 2;
    }
    // The version decides which transports run (JSON-2 from 19): read it before registering.
    set_live_server(live);
    {
        Session probe(Target{0, clarity::odoo::Protocol::json_rpc, true});
        auto version = probe.run(probe.client().version());
        if (!version) {
            std::cerr << "odoo contract: cannot read the version of " << live.url << ": "
                      << version.error().describe() << "\n";
            return 2;
        }
        live.major = version->major;
        auto uid = probe.run(probe.client().authenticate());
        if (!uid) {
            std::cerr << "odoo contract: cannot log in to database '" << live.database << "' as '"
                      << live.user << "': " << uid.error().describe() << "\n";
            return 2;
        }
        std::cout << "odoo contract: Odoo " << version->server_version << " at " << live.url
                  << ", database '" << live.database << "' ("
                  << (why.empty() ? std::string("--i-know given") : why) << "), user '" << live.user
                  << "', run prefix '" << run_prefix() << "'\n";
    }
    set_live_server(live);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    bool i_know = env("ODOO_I_KNOW") == "1";
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--i-know") == 0) {
            i_know = true;
        } else {
            args.push_back(argv[i]);
        }
    }
    int n = static_cast<int>(args.size());
    args.push_back(nullptr);
    if (int rc = prepare_live(i_know); rc != 0) return rc;
    ::testing::InitGoogleTest(&n, args.data());
    int rc = RUN_ALL_TESTS();
    if (clarity::contract::live_server()) {
        auto left = clarity::contract::sweep_run_records();
        for (const auto& l : left) std::cerr << "odoo contract: left in Odoo: " << l << "\n";
        std::cout << "odoo contract: run prefix '" << clarity::contract::run_prefix() << "' swept; "
                  << left.size() << " record(s) could not be removed\n";
    }
    return rc;
}
