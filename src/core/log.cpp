#include "clarity/core/log.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace clarity::core {

namespace {
std::mutex g_mutex;
LogOptions g_options;
}  // namespace

void configure_logging(const LogOptions& options) {
    std::lock_guard lock(g_mutex);
    g_options = options;
    spdlog::set_level(spdlog::level::from_str(options.level));
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(name)) return existing;
    auto made = spdlog::stderr_color_mt(name);
    made->set_level(spdlog::level::from_str(g_options.level));
    return made;
}

}  // namespace clarity::core
