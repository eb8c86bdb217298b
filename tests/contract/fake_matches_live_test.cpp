// The fake Odoo answers like the real one: each call captured from a real Odoo 17, 18 and 19
// (tests/data/odoo/jsonrpc-<version>.json, see capture.py there) is sent to the fake of that
// version over JSON-RPC and XML-RPC (and the JSON-2 calls on 19), and the replies must agree —
// the same keys at every level, the same types, and the same values except where docs/odoo.md
// lists a known difference (kKnown below).
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "clarity/odoo/codec.hpp"
#include "odoo/fake_odoo.hpp"
#include "support/test_env.hpp"

namespace clarity::contract {
namespace {

using odoo::Array;
using odoo::Struct;
using odoo::Value;

/// Paths (call/path) whose value may differ; each is written in docs/odoo.md, "Known differences".
const std::set<std::string> kKnown{
    // The traceback: real paths and frames.
    "*/error/data/debug",
    "*/body/debug",
    // The captured 19 build calls itself "19.0+e-20251227".
    "version/result/server_version",
};

bool known(const std::string& call, const std::string& path) {
    for (const auto& k : kKnown) {
        auto slash = k.find('/');
        std::string kc = k.substr(0, slash);
        std::string kp = k.substr(slash + 1);
        if (kc != "*" && kc != call) continue;
        // '*' in the path matches one segment.
        std::size_t i = 0, j = 0;
        bool ok = true;
        while (ok && i < kp.size() && j <= path.size()) {
            auto ke = kp.find('/', i);
            auto pe = path.find('/', j);
            std::string ks = kp.substr(i, ke == std::string::npos ? std::string::npos : ke - i);
            std::string ps = path.substr(j, pe == std::string::npos ? std::string::npos : pe - j);
            if (ks != "*" && ks != ps) ok = false;
            if (ke == std::string::npos || pe == std::string::npos) {
                ok = ok && ke == std::string::npos && pe == std::string::npos;
                break;
            }
            i = ke + 1;
            j = pe + 1;
        }
        if (ok) return true;
    }
    return false;
}

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "/" + key;
}

const char* type_of(const Value& v) {
    if (v.is_nil()) return "null";
    if (v.is_bool()) return "bool";
    if (v.is_int()) return "int";
    if (v.is_double()) return "float";
    if (v.is_string()) return "string";
    if (v.is_array()) return "list";
    return "dict";
}

void compare(const std::string& call,
             const std::string& path,
             const Value& live,
             const Value& fake,
             std::vector<std::string>& out) {
    if (known(call, path)) return;
    if (std::string(type_of(live)) != type_of(fake)) {
        out.push_back(path + ": live " + type_of(live) + " " + live.repr() + ", fake " +
                      type_of(fake) + " " + fake.repr());
        return;
    }
    if (const auto* l = live.as_struct()) {
        const auto* f = fake.as_struct();
        for (const auto& [k, v] : *l) {
            if (f->count(k) == 0) {
                if (!known(call, join(path, k))) out.push_back(join(path, k) + ": only live");
                continue;
            }
            compare(call, join(path, k), v, f->at(k), out);
        }
        for (const auto& [k, v] : *f) {
            if (l->count(k) == 0 && !known(call, join(path, k))) {
                out.push_back(join(path, k) + ": only fake");
            }
        }
        return;
    }
    if (const auto* l = live.as_array()) {
        const auto* f = fake.as_array();
        if (l->size() != f->size()) {
            out.push_back(path + ": live has " + std::to_string(l->size()) + " items, fake " +
                          std::to_string(f->size()));
        }
        for (std::size_t i = 0; i < std::min(l->size(), f->size()); ++i) {
            compare(call, join(path, std::to_string(i)), (*l)[i], (*f)[i], out);
        }
        return;
    }
    if (!(live == fake)) out.push_back(path + ": live " + live.repr() + ", fake " + fake.repr());
}

/// The request with the fake's database, uid and key in place of the placeholders.
Value fill(const Value& v, const fakes::odoo::FakeOdooOptions& o) {
    if (const auto* a = v.as_array()) {
        Array out;
        for (const auto& x : *a) out.push_back(fill(x, o));
        return out;
    }
    if (const auto* s = v.as_struct()) {
        Struct out;
        for (const auto& [k, x] : *s) out.emplace(k, fill(x, o));
        return out;
    }
    if (v == Value("{db}")) return o.database;
    if (v == Value("{uid}")) return 2;
    if (v == Value("{key}")) return o.admin_api_key;
    return v;
}

/// The last line of an XML-RPC fault 1 string (a traceback on a real server).
std::string last_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
}

/// A capture file of `major`, parsed.
Value capture(int major) {
    auto path = test::data_dir() / "odoo" / ("jsonrpc-" + std::to_string(major) + ".json");
    auto doc = odoo::from_json(test::read_file(path));
    if (!doc) throw std::runtime_error("cannot parse " + path.string());
    return *doc;
}

fakes::http::Request post(std::string target, std::string content_type, std::string body) {
    fakes::http::Request request;
    request.method = "POST";
    request.target = std::move(target);
    request.headers = {{"Content-Type", std::move(content_type)}};
    request.body = std::move(body);
    return request;
}

class FakeMatchesLive : public ::testing::TestWithParam<int> {};

TEST_P(FakeMatchesLive, XmlRpcRepliesAgree) {
    const int major = GetParam();
    Value doc = capture(major);
    const auto* calls = doc["calls"].as_struct();
    ASSERT_TRUE(calls != nullptr && !calls->empty());
    fakes::odoo::FakeOdooOptions options;
    options.major = major;
    fakes::odoo::FakeOdoo fake(options);
    for (const auto& [name, call] : *calls) {
        ASSERT_TRUE(call.has("xmlrpc")) << name;
        Value request = fill(call["request"], options);
        const auto* args = request["args"].as_array();
        ASSERT_TRUE(args != nullptr) << name;
        auto response = fake.handle(
            post("/xmlrpc/2/" + request["service"].as_string().value_or(""), "text/xml",
                 odoo::encode_xmlrpc_call(request["method"].as_string().value_or(""), *args)));
        ASSERT_EQ(response.status, 200) << name << ": " << response.body;
        auto reply = odoo::decode_xmlrpc_response(response.body);
        ASSERT_TRUE(reply) << name << ": " << response.body;
        Value got;
        if (reply->fault) {
            const bool traceback = reply->fault->code == Value(1);
            Struct fault{
                {"code", reply->fault->code},
                {"string", traceback ? last_line(reply->fault->string) : reply->fault->string}};
            got = Struct{{"fault", std::move(fault)}};
        } else {
            got = Struct{{"result", reply->result}};
        }
        std::vector<std::string> differences;
        compare(name, "", call["xmlrpc"], got, differences);
        for (const auto& d : differences) {
            ADD_FAILURE() << "Odoo " << major << " XML-RPC, " << name << ": " << d;
        }
    }
}

TEST(FakeMatchesLive19, Json2RepliesAgree) {
    Value doc = capture(19);
    const auto* calls = doc["json2"].as_struct();
    ASSERT_TRUE(calls != nullptr && !calls->empty());
    fakes::odoo::FakeOdooOptions options;
    options.major = 19;
    fakes::odoo::FakeOdoo fake(options);
    for (const auto& [name, call] : *calls) {
        auto request = post("/json/2/" + call["model"].as_string().value_or("") + "/" +
                                call["method"].as_string().value_or(""),
                            "application/json", odoo::to_json(call["named"]));
        const std::string key =
            call["wrong_key"] == Value(true) ? std::string(40, '0') : options.admin_api_key;
        request.headers.emplace_back("Authorization", "bearer " + key);
        request.headers.emplace_back("X-Odoo-Database", options.database);
        auto response = fake.handle(request);
        auto body = odoo::from_json(response.body);
        ASSERT_TRUE(body) << name << ": " << response.body;
        Value got = Struct{{"status", response.status}, {"body", *body}};
        std::vector<std::string> differences;
        compare(name, "", call["reply"], got, differences);
        for (const auto& d : differences) ADD_FAILURE() << "Odoo 19 JSON-2, " << name << ": " << d;
    }
}

TEST_P(FakeMatchesLive, JsonRpcRepliesAgree) {
    const int major = GetParam();
    auto path = test::data_dir() / "odoo" / ("jsonrpc-" + std::to_string(major) + ".json");
    auto doc = odoo::from_json(test::read_file(path));
    ASSERT_TRUE(doc) << path;
    const auto* calls = (*doc)["calls"].as_struct();
    ASSERT_TRUE(calls != nullptr && !calls->empty()) << path;

    fakes::odoo::FakeOdooOptions options;
    options.major = major;
    fakes::odoo::FakeOdoo fake(options);
    for (const auto& [name, call] : *calls) {
        Struct body{{"jsonrpc", "2.0"},
                    {"method", "call"},
                    {"id", 1},
                    {"params", fill(call["request"], options)}};
        fakes::http::Request request;
        request.method = "POST";
        request.target = "/jsonrpc";
        request.headers = {{"Content-Type", "application/json"}};
        request.body = odoo::to_json(Value(std::move(body)));
        auto response = fake.handle(request);
        ASSERT_EQ(response.status, 200) << name << ": " << response.body;
        auto reply = odoo::from_json(response.body);
        ASSERT_TRUE(reply) << name << ": " << response.body;
        std::vector<std::string> differences;
        compare(name, "", call["reply"], *reply, differences);
        for (const auto& d : differences)
            ADD_FAILURE() << "Odoo " << major << ", " << name << ": " << d;
    }
}

INSTANTIATE_TEST_SUITE_P(Odoo,
                         FakeMatchesLive,
                         ::testing::Values(17, 18, 19),
                         [](const ::testing::TestParamInfo<int>& info) {
                             return "Odoo" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace clarity::contract
