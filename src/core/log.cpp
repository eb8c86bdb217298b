#include "clarity/core/log.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "clarity/core/json_text.hpp"
#include "clarity/core/terminal_text.hpp"

namespace clarity::core {

namespace {

// Fields of the line being logged through core::Log. Set and cleared around one synchronous
// spdlog call on this thread (our loggers are synchronous: the sink formats in the caller), so
// they never outlive the line and never cross a co_await.
thread_local const LogFields* t_fields = nullptr;

std::string_view level_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace:
            return "trace";
        case spdlog::level::debug:
            return "debug";
        case spdlog::level::info:
            return "info";
        case spdlog::level::warn:
            return "warn";
        case spdlog::level::err:
            return "error";
        case spdlog::level::critical:
            return "critical";
        default:
            return "off";
    }
}

spdlog::level::level_enum parse_level(const std::string& text) {
    if (text == "trace") return spdlog::level::trace;
    if (text == "debug") return spdlog::level::debug;
    if (text == "info") return spdlog::level::info;
    if (text == "warn" || text == "warning") return spdlog::level::warn;
    if (text == "error") return spdlog::level::err;
    if (text == "critical") return spdlog::level::critical;
    if (text == "off") return spdlog::level::off;
    throw ConfigError("log level '" + text +
                      "' is not one of trace, debug, info, warn, error, critical, off");
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
        case LogLevel::critical:
            return spdlog::level::critical;
    }
    return spdlog::level::info;
}

std::string utc_time(spdlog::log_clock::time_point tp) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(tp.time_since_epoch()).count() % 1000;
    const std::time_t secs = spdlog::log_clock::to_time_t(tp);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return fmt::format("{}.{:03}Z", buf, ms);
}

template <class Fn>
void for_each_field(const LogFields& f, Fn&& fn) {
    if (!f.job_id.empty()) fn("job_id", f.job_id);
    if (!f.flow.empty()) fn("flow", f.flow);
    if (!f.connection.empty()) fn("connection", f.connection);
    if (!f.entity_key.empty()) fn("entity_key", f.entity_key);
    for (const auto& [k, v] : f.extra) fn(k, v);
}

std::string format_json(const spdlog::details::log_msg& msg, const LogFields* fields) {
    std::string out = "{\"time\":\"" + utc_time(msg.time) + "\",\"level\":\"";
    out += level_name(msg.level);
    out += "\",\"logger\":";
    append_json_string(out, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
    out += ",\"message\":";
    append_json_string(out, std::string_view(msg.payload.data(), msg.payload.size()));
    if (fields != nullptr) {
        for_each_field(*fields, [&](std::string_view k, std::string_view v) {
            out += ',';
            append_json_string(out, k);
            out += ':';
            append_json_string(out, v);
        });
    }
    out += '}';
    // DEL and C1 controls (which a JSON writer may leave as they are) as \u escapes too.
    return terminal_safe(out, TerminalText::json);
}

std::string format_text(const spdlog::details::log_msg& msg, const LogFields* fields, bool colour) {
    std::string_view level = level_name(msg.level);
    std::string out = utc_time(msg.time) + " ";
    if (colour) {
        const char* code = msg.level >= spdlog::level::err    ? "\033[31m"
                           : msg.level == spdlog::level::warn ? "\033[33m"
                           : msg.level == spdlog::level::info ? "\033[32m"
                                                              : "\033[2m";
        out += fmt::format("{}{:<5}\033[0m", code, level);
    } else {
        out += fmt::format("{:<5}", level);
    }
    out += " [";
    out.append(msg.logger_name.data(), msg.logger_name.size());
    out += "] ";
    std::string payload(msg.payload.data(), msg.payload.size());
    for (char& c : payload) {
        if (c == '\n' || c == '\r') c = ' ';  // one event, one line
    }
    // Messages and fields carry outside data (Odoo's and Amazon's messages, order ids): every
    // other byte a terminal would act on is written as a visible escape.
    out += terminal_safe(payload, TerminalText::field);
    if (fields != nullptr) {
        for_each_field(*fields, [&](std::string_view k, std::string_view v) {
            out += fmt::format(" {}={}", k, terminal_safe(v, TerminalText::field));
        });
    }
    return out;
}

// The one sink every logger shares; configure_logging switches its format and output in place.
class ClaritySink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    void configure(const LogOptions& options) {
        std::lock_guard lock(mutex_);
        json_ = options.format == "json";
        output_ = options.output;
        colour_ = !json_ && !output_ && isatty(STDERR_FILENO) == 1;
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        std::string line = json_ ? format_json(msg, t_fields) : format_text(msg, t_fields, colour_);
        if (output_) {
            output_(line);
        } else {
            line += '\n';
            std::fwrite(line.data(), 1, line.size(), stderr);
        }
    }
    void flush_() override { std::fflush(stderr); }
    void set_pattern_(const std::string&) override {}
    void set_formatter_(std::unique_ptr<spdlog::formatter>) override {}

  private:
    bool json_ = false;
    bool colour_ = false;
    std::function<void(std::string_view)> output_;
};

struct State {
    std::mutex mutex;
    std::shared_ptr<ClaritySink> sink = make_sink();
    spdlog::level::level_enum level = spdlog::level::info;

    static std::shared_ptr<ClaritySink> make_sink() {
        auto s = std::make_shared<ClaritySink>();
        s->configure(LogOptions{});
        return s;
    }
};

State& state() {
    static State* s = new State();  // never destroyed: loggers may log during static destruction
    return *s;
}

}  // namespace

ConfigSpec log_config_spec() {
    ConfigSpec spec;
    spec.add({.name = "level",
              .type = ConfigType::string,
              .description = "Lowest level written; debug adds wire details, info shows state "
                             "changes.",
              .default_value = "info",
              .allowed = {"trace", "debug", "info", "warn", "error", "critical", "off"}});
    spec.add({.name = "format",
              .type = ConfigType::string,
              .description = "text: one human-readable line per event (coloured on a terminal); "
                             "json: one JSON object per line with time, level, logger, message and "
                             "job_id/flow/connection/entity_key when present.",
              .default_value = "text",
              .allowed = {"text", "json"}});
    return spec;
}

LogOptions log_options_from_config(const ConfigNode& node) {
    LogOptions options;
    options.level = node.get_string("level");
    options.format = node.get_string("format");
    return options;
}

void configure_logging(const LogOptions& options) {
    const auto level = parse_level(options.level);
    if (options.format != "text" && options.format != "json") {
        throw ConfigError("log format '" + options.format + "' is not one of text, json");
    }
    auto& s = state();
    std::lock_guard lock(s.mutex);
    s.level = level;
    s.sink->configure(options);
    spdlog::apply_all([level](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level); });
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (auto existing = spdlog::get(name)) return existing;
    auto made = std::make_shared<spdlog::logger>(name, s.sink);
    made->set_level(s.level);
    made->flush_on(spdlog::level::warn);
    spdlog::register_logger(made);
    return made;
}

Log::Log(std::string name) : name_(std::move(name)), logger_(core::logger(name_)) {}

Log Log::with(const LogFields& fields) const {
    Log copy = *this;
    auto merge = [](std::string& into, const std::string& from) {
        if (!from.empty()) into = from;
    };
    merge(copy.fields_.job_id, fields.job_id);
    merge(copy.fields_.flow, fields.flow);
    merge(copy.fields_.connection, fields.connection);
    merge(copy.fields_.entity_key, fields.entity_key);
    for (const auto& kv : fields.extra) copy.fields_.extra.push_back(kv);
    return copy;
}

bool Log::should_log(LogLevel level) const { return logger_->should_log(to_spdlog(level)); }

void Log::emit(LogLevel level, std::string message) const {
    const LogFields* previous = t_fields;
    t_fields = &fields_;
    try {
        logger_->log(to_spdlog(level), message);
    } catch (...) {
        t_fields = previous;
        throw;
    }
    t_fields = previous;
}

}  // namespace clarity::core
