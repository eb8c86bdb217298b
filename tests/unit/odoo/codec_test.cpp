#include "clarity/odoo/codec.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>

#include "clarity/model/value.hpp"
#include "support/test_env.hpp"

namespace clarity::odoo {
namespace {

Value sample() {
    return Struct{{"int", 42},
                  {"neg", -7},
                  {"big", std::int64_t{5'000'000'000}},
                  {"yes", true},
                  {"no", false},
                  {"text", "a <b> & \"c\" é"},
                  {"float", 19.99},
                  {"whole_float", 25.0},
                  {"nil", Nil{}},
                  {"list", Array{1, "two", Array{3.5}}},
                  {"empty_list", Array{}},
                  {"empty_struct", Struct{}}};
}

TEST(OdooJson, RoundTripsEveryType) {
    Value v = sample();
    auto back = from_json(to_json(v));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, v);
}

TEST(OdooJson, KeepsFloatsAsFloatsAndIntsAsInts) {
    EXPECT_EQ(to_json(Value(25.0)), "25.0");
    auto v = from_json(R"({"q": 25.0, "id": 25})");
    ASSERT_TRUE(v);
    EXPECT_TRUE((*v)["q"].is_double());
    EXPECT_TRUE((*v)["id"].is_int());
}

TEST(OdooJson, EscapesControlCharacters) {
    EXPECT_EQ(to_json(Value(std::string("a\x01\n\"b"))), R"("a\u0001\n\"b")");
}

TEST(OdooJson, RejectsTextThatIsNotJsonAsPermanentAndJsonCutShortAsTransient) {
    auto html = from_json("<html><body>502 Bad Gateway</body></html>");
    ASSERT_FALSE(html);
    EXPECT_EQ(html.error().kind, ErrorKind::permanent);
    auto cut = from_json(R"({"jsonrpc":"2.0","id":1,"result":[{"id":7,"name":"Wid)");
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().kind, ErrorKind::transient);
    auto damaged = from_json("{not json");
    ASSERT_FALSE(damaged);
    EXPECT_EQ(damaged.error().kind, ErrorKind::transient);
}

TEST(OdooJson, DecodesEscapesAndUnicode) {
    auto v = from_json(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20ac", "\ud83d\ude00", "é€😀"])");
    ASSERT_TRUE(v) << v.error().message;
    const Array& a = *v->as_array();
    EXPECT_EQ(a[0], Value("a\"b\\c/d\b\f\n\r\t"));
    EXPECT_EQ(a[1], Value("\xc3\xa9\xe2\x82\xac"));
    EXPECT_EQ(a[2], Value("\xf0\x9f\x98\x80"));
    EXPECT_EQ(a[3], Value("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
}

TEST(OdooJson, DecodesNumbersLikeJson) {
    auto v = from_json(R"([0, -0, -12, 9223372036854775807, -9223372036854775808,
                           1.5, -2.5e3, 1E2, 0.1, 18446744073709551616])");
    ASSERT_TRUE(v) << v.error().message;
    const Array& a = *v->as_array();
    EXPECT_EQ(a[0], Value(0));
    EXPECT_EQ(a[2], Value(-12));
    EXPECT_EQ(a[3], Value(std::int64_t{9223372036854775807}));
    EXPECT_EQ(a[4], Value(std::numeric_limits<std::int64_t>::min()));
    EXPECT_EQ(a[5], Value(1.5));
    EXPECT_EQ(a[6], Value(-2500.0));
    EXPECT_EQ(a[7], Value(100.0));
    EXPECT_EQ(a[8], Value(0.1));
    // Beyond int64: kept as a double rather than wrapped.
    EXPECT_EQ(a[9], Value(18446744073709551616.0));
}

TEST(OdooJson, PlainDecimalsDecodeToTheSameDoubleAsFromChars) {
    // The short-decimal fast path must agree bit for bit with the general conversion (sign of
    // zero included); longer or exponent forms go through from_chars.
    for (const char* text : {"19.99", "0.1", "0.3", "-0.0", "2.675", "1.005", "-1.5",
                             "999999999999999.0", "0.000000000000001", "123456789012.345",
                             "1234567890123456.7", "0.12345678901234567", "12.5e1"}) {
        std::string_view t(text);
        double expected = 0;
        std::from_chars(t.data(), t.data() + t.size(), expected);
        auto v = from_json(t);
        ASSERT_TRUE(v && v->is_double()) << text;
        EXPECT_EQ(*v->as_double(), expected) << text;
        EXPECT_EQ(std::signbit(*v->as_double()), std::signbit(expected)) << text;
    }
}

TEST(OdooJson, RecordsBuiltOnOneThreadAreFreedOnAnother) {
    // Struct nodes come from per-thread free lists; a record decoded on one thread and dropped
    // on another (a flow handing rows over) must stay sound.
    auto v = from_json(R"([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])");
    ASSERT_TRUE(v);
    Value moved = std::move(*v);
    std::thread([&moved] {
        Value copy = moved;
        EXPECT_EQ(copy, moved);
        moved = Value{};
    }).join();
    EXPECT_TRUE(moved.is_nil());
    auto again = from_json(R"({"c": 3})");
    ASSERT_TRUE(again);
    EXPECT_EQ((*again)["c"], Value(3));
}

TEST(OdooJson, LastDuplicateKeyWins) {
    auto v = from_json(R"({"a": 1, "b": 2, "a": 3})");
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, Value(Struct{{"a", 3}, {"b", 2}}));
}

TEST(OdooJson, RejectsEveryMalformedInputWithItsPosition) {
    for (const char* bad : {"",
                            " ",
                            "{",
                            "[1,]",
                            "[1 2]",
                            "{\"a\" 1}",
                            "{\"a\":1,}",
                            "{a:1}",
                            "01",
                            "1.",
                            "1e",
                            "-",
                            "+1",
                            ".5",
                            "tru",
                            "nul",
                            "[true false]",
                            "\"abc",
                            "\"a\\x\"",
                            "\"\\u12\"",
                            "\"\\ud800\"",
                            "\"\\udc00\"",
                            "\"\x01\"",
                            "\"\xff\"",
                            "\"\xc3\"",
                            "\"\xed\xa0\x80\"",
                            "\"\xc0\xaf\"",
                            "1e400",
                            "[1] x",
                            "NaN",
                            "[-]"}) {
        auto v = from_json(bad);
        EXPECT_FALSE(v) << "accepted: " << bad;
        if (!v) {
            // Starts as JSON (or is empty): damaged on the way, transient; otherwise permanent.
            const std::string text(bad);
            const auto first = text.find_first_not_of(' ');
            const bool starts_as_json =
                first == std::string::npos || text[first] == '{' || text[first] == '[';
            EXPECT_EQ(v.error().kind, starts_as_json ? ErrorKind::transient : ErrorKind::permanent)
                << bad;
            EXPECT_NE(v.error().message.find("invalid JSON at byte"), std::string::npos)
                << v.error().message;
        }
    }
}

TEST(OdooJson, RejectsAbsurdNestingInsteadOfOverflowingTheStack) {
    std::string deep(1'000'000, '[');
    auto v = from_json(deep);
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().message.find("JSON nested deeper than 512 levels (at byte 513)"),
              std::string::npos)
        << v.error().message;
    const std::size_t limit = model::kMaxNestingDepth;
    EXPECT_TRUE(from_json(std::string(limit, '[') + std::string(limit, ']')));
    EXPECT_FALSE(from_json(std::string(limit + 1, '[') + std::string(limit + 1, ']')));
}

TEST(OdooJsonRpc, ReplyNestedAMillionLevelsIsRefusedNamingTheLimit) {
    std::string body = R"({"jsonrpc":"2.0","id":1,"result":)";
    for (int i = 0; i < 1'000'000; ++i) body += R"({"a":)";
    auto r = decode_jsonrpc_reply(body);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::permanent);
    EXPECT_EQ(r.error().message.rfind("Odoo reply refused: JSON nested deeper than 512 levels", 0),
              0u)
        << r.error().message;
}

// Iterative destruction: a tree 300,000 levels deep (only code can build one; the decoders stop
// at 512, and recursion overflowed the stack at 50,000) is freed with the default stack, arrays
// and structs alike.
TEST(OdooValue, DestroysDeepTreesWithoutRecursion) {
    Value root = Array{};
    Value* cur = &root;
    for (int i = 0; i < 300'000; ++i) {
        if (i % 2 == 0) {
            Array& a = *cur->as_array();
            if (i % 1000 == 0) a.emplace_back(i);
            cur = &a.emplace_back(Struct{});
        } else {
            Struct& s = *cur->as_struct();
            if (i % 1001 == 0) s.emplace("n", i);
            cur = &s.emplace("next", Array{}).first->second;
        }
    }
    const Value small = arr(1, Struct{{"a", arr(2, 3)}});
    root = small;  // the deep tree is freed here
    EXPECT_EQ(root, small);
}

/// An XML-RPC reply whose value opens `open` a million times (and never closes: the depth is
/// refused before the end is looked at).
std::string xmlrpc_million(const std::string& prefix, std::string_view open) {
    std::string body = prefix;
    body.reserve(prefix.size() + open.size() * 1'000'000);
    for (int i = 0; i < 1'000'000; ++i) body += open;
    return body;
}

std::string xmlrpc_nested(std::size_t levels, const char* open, const char* close) {
    std::string body = "<?xml version=\"1.0\"?><methodResponse><params><param>";
    for (std::size_t i = 0; i < levels; ++i) body += open;
    body += "<value><int>1</int></value>";
    for (std::size_t i = 0; i < levels; ++i) body += close;
    return body + "</param></params></methodResponse>";
}

TEST(OdooXmlRpc, ReplyNestedAMillionLevelsIsRefusedQuicklyNamingTheLimit) {
    const std::string reply = "<?xml version=\"1.0\"?><methodResponse><params><param>";
    for (const char* open : {"<value><array><data>", "<value><struct><member><name>a</name>"}) {
        std::string body = xmlrpc_million(reply, open);
        auto r = decode_xmlrpc_response(body);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::permanent);
        EXPECT_NE(r.error().message.find("(values deeper than 512 levels)"), std::string::npos)
            << r.error().message;
        EXPECT_FALSE(decode_xmlrpc_response_in_place(body));
    }
    EXPECT_FALSE(decode_xmlrpc_call(xmlrpc_million(
        "<methodCall><methodName>m</methodName><params><param>", "<value><array><data>")));
}

TEST(OdooXmlRpc, DecodesNestingUpToTheLimitAndRefusesOneMore) {
    const std::size_t limit = model::kMaxNestingDepth;
    auto body = [](std::size_t levels) {
        return xmlrpc_nested(levels, "<value><array><data>", "</data></array></value>");
    };
    auto ok = decode_xmlrpc_response(body(limit));
    ASSERT_TRUE(ok) << ok.error().message;
    auto r = decode_xmlrpc_response(body(limit + 1));
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("nested deeper than 512 levels"), std::string::npos)
        << r.error().message;
    // Comments, CDATA and attribute values with '>' do not confuse the depth scan.
    auto with_markup = decode_xmlrpc_response(
        "<?xml version=\"1.0\"?><!-- <a><b> --><methodResponse><params><param>"
        "<value><string a=\"x>y\"><![CDATA[<c><d>]]></string></value>"
        "</param></params></methodResponse>");
    ASSERT_TRUE(with_markup) << with_markup.error().message;
    EXPECT_EQ(with_markup->result, Value("<c><d>"));
}

// The decoder against an independent implementation (nlohmann::json) on every real Odoo reply
// of the captures: same tree, value for value.
Value from_nlohmann(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::null:
            return Value{};
        case nlohmann::json::value_t::boolean:
            return Value(j.get<bool>());
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
            return Value(j.get<std::int64_t>());
        case nlohmann::json::value_t::number_float:
            return Value(j.get<double>());
        case nlohmann::json::value_t::string:
            return Value(j.get<std::string>());
        case nlohmann::json::value_t::array: {
            Array a;
            for (const auto& item : j) a.push_back(from_nlohmann(item));
            return a;
        }
        case nlohmann::json::value_t::object: {
            Struct s;
            for (const auto& [k, item] : j.items()) s.insert_or_assign(k, from_nlohmann(item));
            return s;
        }
        default:
            return Value{};
    }
}

TEST(OdooJson, DecodesEveryCaptureLikeAnIndependentParser) {
    int files = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(test::data_dir() / "odoo")) {
        if (entry.path().extension() != ".json") continue;
        std::string text = test::read_file(entry.path());
        auto mine = from_json(text);
        ASSERT_TRUE(mine) << entry.path() << ": " << mine.error().message;
        EXPECT_EQ(*mine, from_nlohmann(nlohmann::json::parse(text))) << entry.path();
        ++files;
    }
    EXPECT_GE(files, 4);
}

TEST(OdooJsonRpc, EncodesTheCallEnvelope) {
    EXPECT_EQ(
        encode_jsonrpc_call("common", "version", {}, 7),
        R"({"jsonrpc":"2.0","method":"call","params":{"service":"common","method":"version","args":[]},"id":7})");
}

TEST(OdooJsonRpc, ReplyWithoutResultIsNoneAndSuccess) {
    // captures-18/jsonrpc.json "quant_apply_inventory": a None return has no result key.
    auto r = decode_jsonrpc_reply(R"({"jsonrpc": "2.0", "id": 29})");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->exception);
    EXPECT_TRUE(r->result.is_nil());
}

TEST(OdooJsonRpc, ErrorReplyKeepsNameAndMessage) {
    auto r = decode_jsonrpc_reply(
        R"({"jsonrpc":"2.0","id":1,"error":{"code":0,"message":"Odoo Server Error","data":{"name":"odoo.exceptions.UserError","message":"The entry is not balanced."}}})");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->exception);
    EXPECT_EQ(r->exception->name, "odoo.exceptions.UserError");
    EXPECT_EQ(r->exception->message, "The entry is not balanced.");
    EXPECT_EQ(r->exception->code, 0);
}

TEST(OdooJsonRpc, JsonThatIsNotJsonRpcIsAnError) {
    EXPECT_FALSE(decode_jsonrpc_reply(R"({"status":"ok"})"));
    EXPECT_FALSE(decode_jsonrpc_reply("<html>502</html>"));
}

// Issue #18 item 3: a reply cut short at any byte is transient (retried); a page that is not
// JSON at all (a wrong URL, a proxy's page) stays permanent with the hint.
TEST(OdooJsonRpc, AReplyCutShortAtAnyByteIsTransient) {
    const std::string whole =
        R"({"jsonrpc":"2.0","id":3,"result":[{"id":7,"name":"Widget é","list_price":12.5,)"
        R"("active":true,"tag_ids":[1,2],"note":null}]})";
    ASSERT_TRUE(decode_jsonrpc_reply(whole));
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        auto r = decode_jsonrpc_reply(whole.substr(0, cut));
        ASSERT_FALSE(r) << cut;
        EXPECT_EQ(r.error().kind, ErrorKind::transient) << cut << ": " << r.error().message;
        EXPECT_NE(r.error().message.find("cut short"), std::string::npos) << r.error().message;
    }
    auto html = decode_jsonrpc_reply("<html><body>Welcome to nginx!</body></html>");
    ASSERT_FALSE(html);
    EXPECT_EQ(html.error().kind, ErrorKind::permanent);
    EXPECT_NE(html.error().message.find("is the URL an Odoo server?"), std::string::npos);
}

TEST(OdooXmlRpc, RoundTripsEveryTypeThroughResponse) {
    Struct s = *sample().as_struct();
    s.emplace("when", DateTime{"20250115T10:30:00"});
    s.emplace("blob", Binary{std::string("\x00\x01\xffpdf", 6)});
    auto r = decode_xmlrpc_response(encode_xmlrpc_response(s));
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_FALSE(r->fault);
    EXPECT_EQ(r->result, Value(s));
}

TEST(OdooXmlRpc, RoundTripsACall) {
    Array params{"db",
                 2,
                 "key",
                 "res.partner",
                 "search_read",
                 Array{Array{}},
                 Struct{{"fields", Array{"name"}}, {"limit", 5}}};
    auto c = decode_xmlrpc_call(encode_xmlrpc_call("execute_kw", params));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->method, "execute_kw");
    EXPECT_EQ(c->params, params);
}

TEST(OdooXmlRpc, DecodesUntypedValuesI4AndWhitespaceStrings) {
    auto r = decode_xmlrpc_response(
        "<?xml version='1.0'?><methodResponse><params><param><value><array><data>"
        "<value>plain</value><value><i4>12</i4></value><value><string> </string></value>"
        "<value><string></string></value><value><ex:nil/></value>"
        "</data></array></value></param></params></methodResponse>");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result, Value(Array{"plain", 12, " ", "", Nil{}}));
}

TEST(OdooXmlRpc, InPlaceDecodeMatchesTheCopyingDecode) {
    Struct s = *sample().as_struct();
    s.emplace("when", DateTime{"20250115T10:30:00"});
    std::string body = encode_xmlrpc_response(Array{s, s});
    auto copied = decode_xmlrpc_response(body);
    ASSERT_TRUE(copied) << copied.error().message;
    auto in_place = decode_xmlrpc_response_in_place(body);
    ASSERT_TRUE(in_place) << in_place.error().message;
    EXPECT_EQ(in_place->result, copied->result);
    EXPECT_EQ(in_place->result, Value(Array{s, s}));
    std::string bad = "<methodResponse><params><param><value><int>1</int>";
    EXPECT_FALSE(decode_xmlrpc_response_in_place(bad));
}

TEST(OdooXmlRpc, DecodesIndentedRepliesWithCdataAndEscapes) {
    // Python's xmlrpc.client indents nothing, other peers do; text may be CDATA or escaped.
    auto r = decode_xmlrpc_response(
        "<?xml version=\"1.0\"?>\n<methodResponse>\n <params>\n  <param>\n   <value>\n"
        "    <struct>\n     <member>\n      <name>a&amp;b</name>\n"
        "      <value><string><![CDATA[<x>]]></string></value>\n     </member>\n"
        "     <member><name>n</name><value>  <int> 7 </int>  </value></member>\n"
        "     <member><name>t</name><value>1 &lt; 2\r\n</value></member>\n"
        "    </struct>\n   </value>\n  </param>\n </params>\n</methodResponse>\n");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->result, Value(Struct{{"a&b", "<x>"}, {"n", 7}, {"t", "1 < 2\n"}}));
}

TEST(OdooXmlRpc, DecodesFaultsWithIntAndStringCodes) {
    auto f = decode_xmlrpc_response(encode_xmlrpc_fault(3, "Access Denied"));
    ASSERT_TRUE(f);
    ASSERT_TRUE(f->fault);
    EXPECT_EQ(f->fault->code, Value(3));
    EXPECT_EQ(f->fault->string, "Access Denied");
    auto legacy = decode_xmlrpc_response(encode_xmlrpc_fault("warning -- UserError\n\nNo.", ""));
    ASSERT_TRUE(legacy && legacy->fault);
    EXPECT_EQ(legacy->fault->code, Value("warning -- UserError\n\nNo."));
}

TEST(OdooXmlRpc, DropsForbiddenControlCharacters) {
    auto r =
        decode_xmlrpc_response(encode_xmlrpc_response(Value(std::string("a\x01\x02"
                                                                        "b\tc\nd"))));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result, Value("ab\tc\nd"));
}

TEST(OdooXmlRpc, MalformedInputIsAnErrorNotACrash) {
    EXPECT_FALSE(decode_xmlrpc_response("<methodResponse><params><param><value><int>x</int>"));
    EXPECT_FALSE(
        decode_xmlrpc_response("<methodResponse><params><param><value><int>12x</int></value></"
                               "param></params></methodResponse>"));
    EXPECT_FALSE(decode_xmlrpc_response(
        "<methodResponse><params><param><value><foo/></value></param></params></methodResponse>"));
    EXPECT_FALSE(decode_xmlrpc_response("<html/>"));
}

TEST(OdooXmlRpc, AReplyCutShortAtAnyByteIsTransient) {
    const std::string whole = encode_xmlrpc_response(
        Value(Array{Value(Struct{{"id", 7}, {"name", std::string("Widget & <co>")}}), Value(2.5)}));
    ASSERT_TRUE(decode_xmlrpc_response(whole));
    // Cuts that leave a complete document (only the trailing newline lost) still decode.
    for (std::size_t cut = 0; cut + 1 < whole.size(); ++cut) {
        std::string body = whole.substr(0, cut);
        auto r = decode_xmlrpc_response_in_place(body);
        ASSERT_FALSE(r) << cut;
        EXPECT_EQ(r.error().kind, ErrorKind::transient) << cut << ": " << r.error().message;
    }
    auto html = decode_xmlrpc_response("<!DOCTYPE html><html><body>Bad Gateway</body>");
    ASSERT_FALSE(html);
    EXPECT_EQ(html.error().kind, ErrorKind::permanent);
}

}  // namespace
}  // namespace clarity::odoo
