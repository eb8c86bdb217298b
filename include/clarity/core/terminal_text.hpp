#pragma once
/// \file
/// Text from outside (files, notifications, Odoo, Amazon, the network) made safe to print on a
/// terminal. Every byte a terminal could act on is written as a visible escape, so printed data
/// cannot move the cursor, change colours, retitle the window, rewrite earlier output or fake an
/// extra line: C0 controls and DEL as `\xNN` (ESC as `\x1b`), C1 controls (U+0080–U+009F) as
/// `\u0080`…`\u009f`, and a byte that is not part of well-formed UTF-8 as `\xNN`. Well-formed
/// UTF-8 text is kept as it is (backslashes too).

#include <string>
#include <string_view>

namespace clarity::core {

enum class TerminalText {
    field,  ///< one data value: newlines and tabs are escaped too (`\x0a`, `\x09`)
    lines,  ///< text the program composed line by line: '\n' and '\t' are kept
    /// JSON text from a JSON writer (C0 already escaped): DEL and C1 controls become `\u007f`,
    /// `\u0080`…, so the result stays valid JSON; anything else as `lines`.
    json,
};

/// `text` with every terminal control escaped as described above.
std::string terminal_safe(std::string_view text, TerminalText kind = TerminalText::field);

/// The length of the longest prefix of `text` that does not end inside a UTF-8 sequence that
/// more bytes could still complete (for escaping a stream written in pieces).
std::size_t complete_utf8_prefix(std::string_view text);

}  // namespace clarity::core
