#include "clarity/core/terminal_text.hpp"

#include <gtest/gtest.h>

namespace clarity::core {
namespace {

TEST(TerminalText, EscapesC0ControlsAndDelAsHex) {
    EXPECT_EQ(terminal_safe("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
    EXPECT_EQ(terminal_safe(std::string_view("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(terminal_safe("bell\a del\x7f cr\r"), "bell\\x07 del\\x7f cr\\x0d");
}

TEST(TerminalText, FieldEscapesNewlinesAndTabsLinesKeepsThem) {
    EXPECT_EQ(terminal_safe("a\nb\tc"), "a\\x0ab\\x09c");
    EXPECT_EQ(terminal_safe("a\nb\tc\r", TerminalText::lines), "a\nb\tc\\x0d");
}

TEST(TerminalText, EscapesC1ControlsAndInvalidUtf8) {
    EXPECT_EQ(terminal_safe("\xc2\x9b"
                            "2J"),
              "\\u009b2J");                           // CSI as U+009B
    EXPECT_EQ(terminal_safe("\xc2\x85"), "\\u0085");  // NEL
    EXPECT_EQ(terminal_safe("\x9b"
                            "2J"),
              "\\x9b2J");                                // a lone C1 byte
    EXPECT_EQ(terminal_safe("\xe2\x82"), "\\xe2\\x82");  // truncated sequence
    EXPECT_EQ(terminal_safe("\xc0\xaf"), "\\xc0\\xaf");  // overlong '/'
}

TEST(TerminalText, KeepsPrintableUtf8AndBackslashes) {
    const std::string text = "Müller – 東京 😀 \\x1b \xc2\xa0";
    EXPECT_EQ(terminal_safe(text), text);
}

TEST(TerminalText, JsonUsesUnicodeEscapes) {
    EXPECT_EQ(terminal_safe("{\"a\":\"x\x7f\xc2\x9b\"}\n", TerminalText::json),
              "{\"a\":\"x\\u007f\\u009b\"}\n");
}

TEST(TerminalText, CompleteUtf8PrefixStopsBeforeAnUnfinishedSequence) {
    EXPECT_EQ(complete_utf8_prefix("abc"), 3U);
    EXPECT_EQ(complete_utf8_prefix("ab\xc2"), 2U);
    EXPECT_EQ(complete_utf8_prefix("ab\xe6\x9d"), 2U);
    EXPECT_EQ(complete_utf8_prefix("ab\xe6\x9d\xb1"), 5U);
    EXPECT_EQ(complete_utf8_prefix("ab\xf0\x9f\x98"), 2U);
    EXPECT_EQ(complete_utf8_prefix("ab\x80"),
              3U);  // a stray continuation byte: nothing to wait for
}

}  // namespace
}  // namespace clarity::core
