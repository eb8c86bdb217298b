// The one JSON string writer, base64 and gzip inflater of the project (clarity/core).
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "clarity/core/base64.hpp"
#include "clarity/core/gzip.hpp"
#include "clarity/core/json_text.hpp"

namespace clarity::core {
namespace {

std::string json(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

TEST(JsonText, EscapesQuoteBackslashAndControlCharacters) {
    EXPECT_EQ(json(""), R"("")");
    EXPECT_EQ(json("plain text"), R"("plain text")");
    EXPECT_EQ(json("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(json("\n\r\t\b\f"), R"("\n\r\t\b\f")");
    EXPECT_EQ(json(std::string("\x00\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f\u007f")");
    EXPECT_EQ(json("</script>"), R"("</script>")");
}

TEST(JsonText, CopiesWellFormedUtf8AndEscapesStrayBytes) {
    EXPECT_EQ(json("Müller straße 東京 😀"), "\"Müller straße 東京 😀\"");
    EXPECT_EQ(json("\xC3"), R"("\u00c3")");                      // truncated 2-byte sequence
    EXPECT_EQ(json("\x80x"), R"("\u0080x")");                    // stray continuation byte
    EXPECT_EQ(json("\xC0\x80"), R"("\u00c0\u0080")");            // overlong NUL
    EXPECT_EQ(json("\xE0\x80\x80"), R"("\u00e0\u0080\u0080")");  // overlong 3-byte
    EXPECT_EQ(json("\xED\xA0\x80"), R"("\u00ed\u00a0\u0080")");  // UTF-16 surrogate
    EXPECT_EQ(json("\xF4\x90\x80\x80"), R"("\u00f4\u0090\u0080\u0080")");  // above U+10FFFF
    EXPECT_EQ(json("\xF0\x9F\x98"), R"("\u00f0\u009f\u0098")");            // truncated 4-byte
}

TEST(JsonText, FindsTheFirstBracketBeyondTheDepthLimit) {
    EXPECT_EQ(json_too_deep_at("[[[]]]", 3), std::nullopt);
    EXPECT_EQ(json_too_deep_at("[[[[]]]]", 3), 3u);
    EXPECT_EQ(json_too_deep_at(R"({"a":[{"b":{}}]})", 3), 11u);
    // Brackets inside strings (also after an escaped quote) do not count.
    EXPECT_EQ(json_too_deep_at(R"([["[[[[\"[[[["]])", 2), std::nullopt);
    EXPECT_EQ(json_too_deep_at(R"([["\\"],[[]]])", 2), 9u);
    // Closing more than was opened does not wrap around.
    EXPECT_EQ(json_too_deep_at("]]]][", 1), std::nullopt);
    const std::string million(1'000'000, '[');
    EXPECT_EQ(json_too_deep_at(million), 512u);
    EXPECT_EQ(json_depth_message(512),
              "JSON nested deeper than 512 levels (at byte 513); no real "
              "document is that deep, so it is refused");
}

TEST(JsonText, AppendsToWhatIsThere) {
    std::string out = "{\"k\":";
    append_json_string(out, "v");
    EXPECT_EQ(out, R"({"k":"v")");
}

TEST(Base64, EncodesAndDecodesRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode(""), "");
    EXPECT_EQ(base64_decode("Zg=="), "f");
    EXPECT_EQ(base64_decode("Zm8="), "fo");
    EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
    EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
}

TEST(Base64, RefusesWhatIsNotWholePaddedBase64) {
    EXPECT_FALSE(base64_decode("Zg="));
    EXPECT_FALSE(base64_decode("Z!=="));
    EXPECT_FALSE(base64_decode("Zg==Zg=="));  // padding in the middle
    EXPECT_FALSE(base64_decode("Z=g="));
    EXPECT_FALSE(base64_decode(" Zg=="));
    EXPECT_FALSE(base64_decode("Zm9v\nYmFy"));
    EXPECT_FALSE(base64_decode("===="));
}

TEST(Base64, RoundTripsEveryByte) {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t n = 0; n <= all.size(); n += 37) {
        const auto text = base64_encode(all.substr(0, n));
        EXPECT_EQ(base64_decode(text), all.substr(0, n)) << n;
    }
}

std::string deflate_gzip(std::string_view data) {
    z_stream zs{};
    deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

std::string noise(std::size_t n) {
    std::mt19937 rng(7);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 20 + 'a');  // compressible, not trivially
    return s;
}

TEST(GzipInflater, InflatesInPiecesOfAnySize) {
    const std::string plain = noise(300'000);
    const std::string gz = deflate_gzip(plain);
    for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, gz.size()}) {
        GzipInflater inflater;
        std::string out;
        for (std::size_t at = 0; at < gz.size(); at += piece) {
            ASSERT_EQ(inflater.feed(std::string_view(gz).substr(at, piece),
                                    [&](std::string_view p) {
                                        out.append(p);
                                        return true;
                                    }),
                      GzipInflater::Status::ok);
        }
        EXPECT_TRUE(inflater.complete()) << piece;
        EXPECT_EQ(out, plain) << piece;
        EXPECT_EQ(inflater.bytes_out(), plain.size());
    }
}

TEST(GzipInflater, ConcatenatedMembersInflateAsTheirConcatenation) {
    const std::string gz = deflate_gzip("first half, ") + deflate_gzip("second half");
    auto out = gunzip(gz, 1000, "report");
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ(*out, "first half, second half");
}

TEST(GzipInflater, TruncatedInputIsNotComplete) {
    const std::string gz = deflate_gzip(noise(50'000));
    GzipInflater inflater;
    EXPECT_EQ(inflater.feed(std::string_view(gz).substr(0, gz.size() / 2),
                            [](std::string_view) { return true; }),
              GzipInflater::Status::ok);
    EXPECT_FALSE(inflater.complete());
    auto r = gunzip(std::string_view(gz).substr(0, gz.size() - 3), 1 << 20, "feed report");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("feed report ends early after"), std::string::npos)
        << r.error().message;
}

TEST(GzipInflater, DamagedAndForeignDataAreRefused) {
    std::string gz = deflate_gzip(noise(10'000));
    gz[gz.size() / 2] = static_cast<char>(gz[gz.size() / 2] ^ 0x55);
    gz[gz.size() / 2 + 1] = static_cast<char>(gz[gz.size() / 2 + 1] ^ 0x55);
    auto damaged = gunzip(gz, 1 << 20, "report");
    ASSERT_FALSE(damaged);
    EXPECT_NE(damaged.error().message.find("report"), std::string::npos);
    auto foreign = gunzip("not gzip at all", 1 << 20, "report");
    ASSERT_FALSE(foreign);
    EXPECT_NE(foreign.error().message.find("not gzip data"), std::string::npos);
}

TEST(GzipInflater, StopsAtTheLimit) {
    const std::string gz = deflate_gzip(std::string(5'000'000, 'z'));  // a small bomb
    auto r = gunzip(gz, 1'000'000, "report");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("more than the limit of 1000000 bytes"), std::string::npos)
        << r.error().message;
    GzipInflater inflater;
    std::size_t seen = 0;
    EXPECT_EQ(inflater.feed(gz,
                            [&](std::string_view p) {
                                seen += p.size();
                                return seen < 100'000;
                            }),
              GzipInflater::Status::stopped);
    EXPECT_LT(seen, 200'000u);
}

}  // namespace
}  // namespace clarity::core
