#include "support/test_env.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace clarity::test {

namespace {
std::filesystem::path from_env(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return fallback;
    return v;
}
}  // namespace

std::filesystem::path source_dir() {
    return from_env("CLARITY_SOURCE_DIR", CLARITY_DEFAULT_SOURCE_DIR);
}
std::filesystem::path data_dir() { return source_dir() / "tests" / "data"; }
std::filesystem::path binary_dir() {
    return from_env("CLARITY_BINARY_DIR", CLARITY_DEFAULT_BINARY_DIR);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace clarity::test
