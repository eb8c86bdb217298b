#pragma once
// Where tests find their data and the built executables: the environment variables
// CLARITY_SOURCE_DIR and CLARITY_BINARY_DIR when set, otherwise the directories of the build that
// compiled the test (tests/support/CMakeLists.txt). Tests read only files inside the repository.
#include <filesystem>
#include <string>

namespace clarity::test {

/// The project's source root.
std::filesystem::path source_dir();
/// tests/data: Amazon's models and schemas, Odoo captures, SigV4 vectors (see its README.md).
std::filesystem::path data_dir();
/// The CMake build directory.
std::filesystem::path binary_dir();
/// Whole file as a string; throws when unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace clarity::test
