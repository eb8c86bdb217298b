// Bounded reads of user-named files and the YAML text checks (issue #18).
#include "clarity/core/file_read.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "clarity/core/yaml_text.hpp"
#include "support/temp_dir.hpp"

namespace clarity::core {
namespace {

TEST(FileRead, ReadsARegularFileUpToTheLimit) {
    test::TempDir dir;
    { std::ofstream(dir / "f") << "hello"; }
    auto text = read_regular_file(dir / "f", 5);
    ASSERT_TRUE(text) << text.error().message;
    EXPECT_EQ(*text, "hello");
    { std::ofstream(dir / "empty"); }
    EXPECT_EQ(read_regular_file(dir / "empty", 5).value(), "");
    auto size = check_regular_file(dir / "f", 5);
    ASSERT_TRUE(size);
    EXPECT_EQ(*size, 5u);
}

TEST(FileRead, RefusesAFileOverTheLimitNamingIt) {
    test::TempDir dir;
    { std::ofstream(dir / "f") << "hello!"; }
    auto text = read_regular_file(dir / "f", 5);
    ASSERT_FALSE(text);
    EXPECT_EQ(text.error().kind, ErrorKind::permanent);
    EXPECT_EQ(text.error().message, "it is 6 bytes, over the limit of 5 bytes");
    std::filesystem::resize_file(dir / "f", 50'000'000);
    EXPECT_EQ(read_regular_file(dir / "f", kMaxConfigFileBytes).error().message,
              "it is 50000000 bytes, over the limit of 4 MiB");
    EXPECT_EQ(check_regular_file(dir / "f", kMaxSecretFileBytes).error().message,
              "it is 50000000 bytes, over the limit of 64 KiB");
}

// Without blocking and without reading a byte: a FIFO with no writer, endless devices, a directory.
TEST(FileRead, RefusesWhatIsNotARegularFile) {
    test::TempDir dir;
    const auto fifo = (dir / "fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {fifo, "it is a FIFO (named pipe), not a regular file"},
        {"/dev/zero", "it is a character device, not a regular file"},
        {"/dev/urandom", "it is a character device, not a regular file"},
        {dir.path().string(), "it is a directory, not a regular file"},
    };
    for (const auto& [path, reason] : cases) {
        auto text = read_regular_file(path, kMaxSecretFileBytes);
        ASSERT_FALSE(text) << path;
        EXPECT_EQ(text.error().message, reason);
        EXPECT_EQ(check_regular_file(path, kMaxReportFileBytes).error().message, reason);
    }
    EXPECT_EQ(read_regular_file(dir / "missing", 10).error().message, "No such file or directory");
}

TEST(FileRead, StatesLimitsInTheLargestWholeUnit) {
    EXPECT_EQ(byte_limit_text(kMaxSecretFileBytes), "64 KiB");
    EXPECT_EQ(byte_limit_text(kMaxConfigFileBytes), "4 MiB");
    EXPECT_EQ(byte_limit_text(kMaxReportFileBytes), "4 GiB");
    EXPECT_EQ(byte_limit_text(1536), "1536 bytes");
    EXPECT_EQ(byte_limit_text(1000), "1000 bytes");
}

TEST(YamlText, FindsTheFirstNulByteWithItsPosition) {
    auto p = check_yaml_text(std::string("a: 1\nbb: x\0y\n", 13));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->line, 2u);
    EXPECT_EQ(p->column, 6u);
    EXPECT_NE(p->reason.find("NUL byte"), std::string::npos);
    EXPECT_FALSE(check_yaml_text("a: 1\nb: [x, {c: d}]\n"));
}

TEST(YamlText, CountsFlowNestingOutsideQuotesAndComments) {
    const std::size_t limit = kMaxYamlDepth;
    EXPECT_FALSE(check_yaml_text("a: " + std::string(limit, '[') + std::string(limit, ']')));
    auto p = check_yaml_text("a: " + std::string(limit + 1, '{'));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->line, 1u);
    EXPECT_EQ(p->column, 4u + limit);
    EXPECT_EQ(p->reason, yaml_depth_reason());
    const std::string many(limit + 1, '[');
    EXPECT_FALSE(check_yaml_text("a: \"" + many + "\"\nb: '" + many + "'\n# " + many + "\n"));
    EXPECT_FALSE(check_yaml_text("a: \"x\\\"" + many + "\"\nb: 'it''s " + many + "'\n"));
    // A quote inside a plain scalar opens nothing: the brackets after it count.
    EXPECT_TRUE(check_yaml_text("a: don't " + many + "\n"));
    // A million levels: found at the first one too many, without looking further.
    EXPECT_TRUE(check_yaml_text("a: " + std::string(1'000'000, '[')));
}

}  // namespace
}  // namespace clarity::core
