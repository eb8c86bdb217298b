#include "clarity/mapping/json.hpp"

#include <gtest/gtest.h>

namespace clarity::mapping {
namespace {

TEST(Json, NumbersStayExact) {
    auto v = parse_json(R"({"a":19.99,"b":3,"c":"x","d":[true,null],"e":0.1})");
    ASSERT_TRUE(v);
    EXPECT_TRUE(v->find("a")->is_decimal());
    EXPECT_EQ(v->find("a")->as_decimal().to_string(), "19.99");
    EXPECT_EQ(v->find("e")->as_decimal(), model::Decimal(1, 1));
    EXPECT_EQ(v->find("b")->as_int(), 3);
    EXPECT_TRUE(v->find("d")->items()[1].is_null());
    EXPECT_EQ(to_json(*v), R"({"a":19.99,"b":3,"c":"x","d":[true,null],"e":0.1})");
}

TEST(Json, KeepsKeyOrderAndEscapes) {
    auto v = parse_json(R"({"z":"a\"b\n","a":{}})");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->keys()[0], "z");
    EXPECT_EQ(to_json(*v), R"({"z":"a\"b\n","a":{}})");
    EXPECT_EQ(to_json(*v, 2), "{\n  \"z\": \"a\\\"b\\n\",\n  \"a\": {}\n}");
}

TEST(Json, ExponentNumbersKeptAsText) {
    auto v = parse_json(R"([1e5])");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->items()[0].as_string(), "1e5");
}

TEST(Json, InvalidTextIsPermanentErrorWithOffset) {
    auto v = parse_json(R"({"a":)");
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().kind, ErrorKind::permanent);
    EXPECT_NE(v.error().message.find("invalid JSON at byte"), std::string::npos);
}

// Issue #18: `mapping preview` on '['*50000+']'*50000 crashed. A million levels are refused at the
// limit, with the limit and the position in the message, before any deep tree is built.
TEST(Json, RefusesAMillionNestedLevelsNamingTheLimit) {
    for (const char* open_close : {"[]", "{}"}) {
        std::string text(1'000'000, open_close[0]);
        if (open_close[0] == '{') {
            text.clear();
            for (int i = 0; i < 1'000'000; ++i) text += "{\"a\":";
        }
        auto v = parse_json(text);
        ASSERT_FALSE(v);
        EXPECT_EQ(v.error().kind, ErrorKind::permanent);
        EXPECT_NE(v.error().message.find("JSON nested deeper than 512 levels"), std::string::npos)
            << v.error().message;
    }
    auto v = parse_json(std::string(1'000'000, '[') + std::string(1'000'000, ']'));
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().message.find("(at byte 513)"), std::string::npos) << v.error().message;
}

TEST(Json, AcceptsNestingUpToTheLimit) {
    const std::size_t limit = model::kMaxNestingDepth;
    auto ok = parse_json(std::string(limit, '[') + std::string(limit, ']'));
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(to_json(*ok).size(), 2 * limit);
    EXPECT_FALSE(parse_json(std::string(limit + 1, '[') + std::string(limit + 1, ']')));
}

}  // namespace
}  // namespace clarity::mapping
