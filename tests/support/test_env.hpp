#pragma once
// Where tests find the shared reference data and the built executables: the environment variables
// CLARITY_SHARED_DIR, CLARITY_SOURCE_DIR and CLARITY_BINARY_DIR when set, otherwise the
// directories of the build that compiled the test (tests/support/CMakeLists.txt).
#include <filesystem>
#include <string>

namespace clarity::test {

/// ../shared next to the source tree (reference models, captures, vectors).
std::filesystem::path shared_dir();
/// The project's source root.
std::filesystem::path source_dir();
/// The CMake build directory.
std::filesystem::path binary_dir();
/// Whole file as a string; throws when unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace clarity::test
