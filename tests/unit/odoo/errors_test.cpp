// Every error envelope captured from real Odoo 18 and 19 servers is classified, table-driven from
// tests/data/odoo/captures-18|19. A new error capture without an expectation fails.
#include "clarity/odoo/errors.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace clarity::odoo {
namespace {

using nlohmann::json;

json load(const std::string& rel) {
    return json::parse(test::read_file(test::data_dir() / "odoo" / rel));
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

const std::map<std::string, ErrorKind> kJsonRpc{
    {"authenticate_wrong_db", ErrorKind::permanent},  // database does not exist: configuration
    {"ek_wrong_pw", ErrorKind::auth},
    {"ek_invalid_field_create", ErrorKind::permanent},
    {"ek_invalid_field_domain", ErrorKind::permanent},
    {"ek_invalid_field_read", ErrorKind::permanent},
    {"ek_missing_record_write", ErrorKind::permanent},
    {"ek_unknown_method", ErrorKind::permanent},
    {"ek_private_method", ErrorKind::permanent},
    {"ek_unknown_model", ErrorKind::permanent},
    {"ek_bad_m2o_fk", ErrorKind::permanent},
    {"ek_missing_required", ErrorKind::permanent},
    {"ek_bad_selection", ErrorKind::permanent},
    {"ek_validation_error_recursion", ErrorKind::permanent},
    {"sale_order_confirm_again_usererror", ErrorKind::permanent},
    {"move_unbalanced_create", ErrorKind::permanent},
    {"xmlid_duplicate", ErrorKind::conflict},  // unique index: someone created it first
    {"xmlid_private_xmlid_to_res_id", ErrorKind::permanent},
    {"access_error_create_move", ErrorKind::permanent},
    {"access_error_read_so", ErrorKind::permanent},
    {"ek_access_error_create_move", ErrorKind::permanent},  // 19 names them with the ek_ prefix
    {"ek_access_error_read_so", ErrorKind::permanent},
};

const std::map<std::string, ErrorKind> kXmlRpc{
    {"x_wrong_pw", ErrorKind::auth},
    {"x_invalid_field", ErrorKind::permanent},
    {"x_validation_error", ErrorKind::permanent},
    {"x_user_error", ErrorKind::permanent},
    {"x_access_error", ErrorKind::permanent},
    {"x_unknown_method", ErrorKind::permanent},
    {"x_bad_fk", ErrorKind::permanent},
    {"x_legacy_endpoint_user_error", ErrorKind::permanent},
    {"x_legacy_endpoint_wrong_pw", ErrorKind::auth},
    {"x_method_returning_none", ErrorKind::permanent},  // captured as a MissingError in fact
    {"x_read_binary_field", ErrorKind::permanent},
};

const std::map<std::string, ErrorKind> kJson2{
    {"no_auth", ErrorKind::auth},
    {"bad_key", ErrorKind::auth},
    {"unknown_model", ErrorKind::permanent},
    {"unknown_method", ErrorKind::permanent},
    {"private_method", ErrorKind::permanent},
    {"bad_kwarg", ErrorKind::permanent},
    {"ids_on_model_method", ErrorKind::permanent},
    {"invalid_field", ErrorKind::permanent},
    {"validation_error", ErrorKind::permanent},
    {"missing_record_write", ErrorKind::permanent},
    {"user_error_unbalanced", ErrorKind::permanent},
    {"bad_json", ErrorKind::permanent},
    {"get_method", ErrorKind::permanent},
    {"wrong_path", ErrorKind::permanent},
};

class JsonRpcCaptures : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonRpcCaptures, EveryErrorEnvelopeIsClassifiedFromDataName) {
    int seen = 0;
    for (const char* file : {"jsonrpc.json", "probe2.json"}) {
        json captures = load(GetParam() + "/" + file);
        for (const auto& [key, envelope] : captures.items()) {
            if (!envelope.is_object() || !envelope.contains("error")) continue;
            ++seen;
            auto expected = kJsonRpc.find(key);
            ASSERT_NE(expected, kJsonRpc.end()) << "no expectation for capture " << key;
            auto reply = decode_jsonrpc_reply(envelope.dump());
            ASSERT_TRUE(reply) << key;
            ASSERT_TRUE(reply->exception) << key;
            Error e = classify_exception(*reply->exception, std::nullopt, "m.f");
            EXPECT_EQ(e.kind, expected->second) << key << ": " << e.message;
            std::string odoo_message = envelope["error"]["data"]["message"];
            EXPECT_NE(e.message.find(first_line(odoo_message)), std::string::npos)
                << key << ": Odoo's message is kept";
            EXPECT_EQ(e.context, "odoo m.f");
        }
    }
    EXPECT_GE(seen, 17);
}

TEST_P(JsonRpcCaptures, ErrorCodeIs200Before19And0In19ButNeverDecides) {
    json c = load(GetParam() + "/jsonrpc.json");
    auto reply = decode_jsonrpc_reply(c["ek_wrong_pw"].dump());
    ASSERT_TRUE(reply && reply->exception);
    EXPECT_EQ(reply->exception->code, GetParam() == "captures-19" ? 0 : 200);
    OdooException flipped = *reply->exception;
    flipped.code = GetParam() == "captures-19" ? 200 : 0;
    EXPECT_EQ(classify_exception(flipped, std::nullopt, "").kind, ErrorKind::auth);
}

TEST_P(JsonRpcCaptures, XmlRpcFaultsAreClassified) {
    int seen = 0;
    for (const char* file : {"xmlrpc.json", "probe2.json"}) {
        json captures = load(GetParam() + "/" + file);
        for (const auto& [key, v] : captures.items()) {
            if (!v.is_object() || !v.contains("faultCode")) continue;
            XmlRpcFault f;
            f.code = v["faultCode"].is_number() ? Value(v["faultCode"].get<int>())
                                                : Value(v["faultCode"].get<std::string>());
            f.string = v["faultString"];
            if (key == "x_none_return") {
                EXPECT_TRUE(is_marshal_none_fault(f));
                continue;
            }
            ++seen;
            EXPECT_FALSE(is_marshal_none_fault(f)) << key;
            auto expected = kXmlRpc.find(key);
            ASSERT_NE(expected, kXmlRpc.end()) << "no expectation for capture " << key;
            Error e = classify_xmlrpc_fault(f, "m.f");
            EXPECT_EQ(e.kind, expected->second) << key << ": " << e.message;
            EXPECT_EQ(e.message.find("Traceback"), std::string::npos) << key << ": " << e.message;
        }
    }
    EXPECT_GE(seen, 9);
}

INSTANTIATE_TEST_SUITE_P(Versions,
                         JsonRpcCaptures,
                         ::testing::Values("captures-18", "captures-19"));

TEST(OdooJson2Captures, EveryErrorStatusIsClassified) {
    json captures = load("captures-19/json2.json");
    int seen = 0;
    for (const auto& [key, v] : captures.items()) {
        if (!v.is_object() || !v.contains("status") || v["status"] == 200) continue;
        ++seen;
        auto expected = kJson2.find(key);
        ASSERT_NE(expected, kJson2.end()) << "no expectation for capture " << key;
        Error e = classify_json2_response(v["status"], v["body"].dump(), "m.f");
        EXPECT_EQ(e.kind, expected->second) << key << ": " << e.message;
        EXPECT_EQ(e.http_status, v["status"].get<int>()) << key;
        std::string msg = v["body"]["message"];
        EXPECT_NE(e.message.find(first_line(msg)), std::string::npos) << key << ": " << e.message;
    }
    EXPECT_EQ(seen, static_cast<int>(kJson2.size()));
}

TEST(OdooErrors, TransientCasesAreRetryable) {
    EXPECT_EQ(classify_exception({"psycopg2.errors.SerializationFailure",
                                  "could not serialize access due to concurrent update", 200},
                                 std::nullopt, "")
                  .kind,
              ErrorKind::transient);
    EXPECT_EQ(classify_exception({"psycopg2.OperationalError",
                                  "connection to server at \"db\" failed: Connection refused", 0},
                                 std::nullopt, "")
                  .kind,
              ErrorKind::transient);
    for (int status : {502, 503, 504, 408}) {
        EXPECT_EQ(classify_http_status(status, "").kind, ErrorKind::transient) << status;
        EXPECT_EQ(classify_json2_response(status, "<html>proxy</html>", "").kind,
                  ErrorKind::transient)
            << status;
    }
    EXPECT_EQ(classify_http_status(429, "").kind, ErrorKind::rate_limited);
    EXPECT_EQ(classify_http_status(303, "").kind, ErrorKind::permanent);
}

TEST(OdooErrors, XmlRpcTracebackLastLineNamesTheException) {
    XmlRpcFault f{Value(1),
                  "Traceback (most recent call last):\n  File \"x\"\n"
                  "psycopg2.errors.SerializationFailure: could not serialize access\n"};
    Error e = classify_xmlrpc_fault(f, "");
    EXPECT_EQ(e.kind, ErrorKind::transient);
    EXPECT_EQ(e.message.rfind("SerializationFailure: could not serialize access", 0), 0u)
        << e.message;
}

TEST(OdooErrors, UnknownExceptionsArePermanentAndSayWhereToLook) {
    Error e = classify_exception({"odoo.addons.x.Boom", "boom", 200}, std::nullopt, "");
    EXPECT_EQ(e.kind, ErrorKind::permanent);
    EXPECT_NE(e.message.find("Odoo server log"), std::string::npos);
}

}  // namespace
}  // namespace clarity::odoo
