#pragma once
// The Odoo contract suite's two targets: the fake Odoo (tests/fakes/odoo) for every version 16-19
// on every transport, or a live server named by ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY
// (`make test-odoo`). Tests talk to either through the product's own client (OdooClient) and
// create records only through a Session, which names them with the run prefix and removes them
// when the test ends, also after a failure. docs/odoo.md "Contract suite".
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "clarity/net/http_client.hpp"
#include "clarity/odoo/client.hpp"
#include "odoo/fake_odoo.hpp"

namespace clarity::contract {

using odoo::Array;
using odoo::Protocol;
using odoo::Struct;
using odoo::Value;

/// A live server from the environment (make test-odoo).
struct LiveServer {
    std::string url;
    std::string database;
    std::string user;
    std::string api_key;
    int major = 0;  ///< detected by contract_main before the tests are registered
};

/// Set once by main before the tests are registered; nullopt = the fake.
void set_live_server(LiveServer server);
const std::optional<LiveServer>& live_server();

/// What the parameterised tests run against: one version and one transport.
struct Target {
    int major = 0;
    Protocol protocol = Protocol::json_rpc;
    bool live = false;
};
std::string target_name(const Target& t);
inline void PrintTo(const Target& t, std::ostream* os) { *os << target_name(t); }
/// Fake: 16-19 x JSON-RPC, XML-RPC (+ JSON-2 on 19). Live: the server's version x its transports.
std::vector<Target> targets();

/// "cct-<UTC time>-<pid>-": every record the suite creates carries it (names, references).
const std::string& run_prefix();

/// Why a database name looks like a test database (empty: it does not).
std::string test_database_reason(const std::string& database);

/// One test's connection and the records it created.
class Session {
  public:
    explicit Session(const Target& target);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    int major() const { return major_; }
    Protocol protocol() const { return target_.protocol; }
    bool live() const { return target_.live; }
    odoo::OdooClient& client() { return *client_; }
    /// The io_context the client runs on (run() drives it): other components of a test share it.
    boost::asio::io_context& io() { return ctx_; }
    /// The fake (null against a live server).
    fakes::odoo::FakeOdoo* fake() { return server_ ? &server_->odoo() : nullptr; }

    /// A client with other credentials against the same server.
    std::unique_ptr<odoo::OdooClient> client_with_key(const std::string& api_key);

    template <class T>
    T run(boost::asio::awaitable<T> aw) {
        auto fut = boost::asio::co_spawn(ctx_, std::move(aw), boost::asio::use_future);
        ctx_.restart();
        ctx_.run();
        return fut.get();
    }

    /// `prefix + what`, unique in the run.
    std::string name(const std::string& what) const;
    /// Creates through the client and tracks the ids for removal; throws on error (a test
    /// precondition, not the subject).
    std::vector<std::int64_t> create(const std::string& model, std::vector<Struct> vals_list);
    std::int64_t create_one(const std::string& model, Struct vals);
    /// Tracks records made another way (load, web_save, an action) for removal.
    void track(const std::string& model, std::int64_t id);
    /// A consumable product (no stock valuation, no quants) with the run prefix.
    std::int64_t product(const std::string& what, double price = 10.0);
    /// A customer with the run prefix.
    std::int64_t partner(const std::string& what);
    /// A draft sale order with one line per (product, quantity).
    std::int64_t sale_order(std::int64_t partner,
                            std::vector<std::pair<std::int64_t, double>> lines);

    /// Removes tracked records, newest first: unlink; a confirmed order is cancelled first; a
    /// record Odoo keeps (done transfer, product with done moves) is archived. Returns what it
    /// could not remove, one line each.
    std::vector<std::string> cleanup();

  private:
    Target target_;
    int major_ = 0;
    boost::asio::io_context ctx_;
    std::unique_ptr<fakes::odoo::FakeOdooServer> server_;
    std::shared_ptr<net::HttpClient> http_;
    std::unique_ptr<odoo::OdooClient> client_;
    odoo::OdooOptions options_;
    std::vector<std::pair<std::string, std::int64_t>> created_;
    int counter_ = 0;
};

/// Removes records left by this run that no Session tracked (a reply lost after Odoo committed):
/// sale orders, partners and products carrying the run prefix. Live only; returns what stays.
std::vector<std::string> sweep_run_records();

}  // namespace clarity::contract
