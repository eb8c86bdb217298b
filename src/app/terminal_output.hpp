#pragma once
// The CLI's output to a terminal never carries a raw control character from data: main()
// installs TerminalSafeOutput on std::cout and std::cerr, which escapes every C0/C1 control and
// DEL except the '\n' and '\t' the commands write themselves (core::terminal_safe, `lines`).
// Commands escape data values that may hold a newline with safe() before printing them, so a
// value cannot fake an extra line either.

#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

#include "clarity/core/terminal_text.hpp"

namespace clarity::app {

/// One data value (from a file, a notification, Odoo, Amazon, the store) as printable text.
inline std::string safe(std::string_view value) {
    return core::terminal_safe(value, core::TerminalText::field);
}

/// Escapes what passes through `stream` until destroyed, then restores its buffer.
class TerminalSafeOutput {
  public:
    explicit TerminalSafeOutput(std::ostream& stream);
    ~TerminalSafeOutput();
    TerminalSafeOutput(const TerminalSafeOutput&) = delete;
    TerminalSafeOutput& operator=(const TerminalSafeOutput&) = delete;

  private:
    class Filter;
    std::ostream& stream_;
    std::streambuf* original_;
    std::unique_ptr<Filter> filter_;
};

}  // namespace clarity::app
