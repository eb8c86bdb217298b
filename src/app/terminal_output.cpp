#include "terminal_output.hpp"

namespace clarity::app {

// Passes bytes on escaped. A UTF-8 sequence split between two writes is held back until it is
// complete (or the filter goes away), so a C1 control cannot slip through in two halves.
class TerminalSafeOutput::Filter : public std::streambuf {
  public:
    explicit Filter(std::streambuf* target) : target_(target) {}
    ~Filter() override { flush_all(); }

    void flush_all() {
        if (!pending_.empty()) {
            const auto escaped = core::terminal_safe(pending_, core::TerminalText::lines);
            target_->sputn(escaped.data(), static_cast<std::streamsize>(escaped.size()));
            pending_.clear();
        }
        target_->pubsync();
    }

  protected:
    int_type overflow(int_type ch) override {
        if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
        const char c = traits_type::to_char_type(ch);
        return xsputn(&c, 1) == 1 ? ch : traits_type::eof();
    }

    std::streamsize xsputn(const char* s, std::streamsize n) override {
        pending_.append(s, static_cast<std::size_t>(n));
        const auto whole = core::complete_utf8_prefix(pending_);
        const auto escaped = core::terminal_safe(std::string_view(pending_).substr(0, whole),
                                                 core::TerminalText::lines);
        pending_.erase(0, whole);
        const auto size = static_cast<std::streamsize>(escaped.size());
        return target_->sputn(escaped.data(), size) == size ? n : 0;
    }

    int sync() override { return target_->pubsync(); }

  private:
    std::streambuf* target_;
    std::string pending_;
};

TerminalSafeOutput::TerminalSafeOutput(std::ostream& stream)
    : stream_(stream), original_(stream.rdbuf()), filter_(std::make_unique<Filter>(original_)) {
    stream_.rdbuf(filter_.get());
}

TerminalSafeOutput::~TerminalSafeOutput() {
    stream_.flush();
    filter_->flush_all();
    stream_.rdbuf(original_);
}

}  // namespace clarity::app
