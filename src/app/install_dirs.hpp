#pragma once
// Where an installed clarity-connect finds its read-only data (the default mapping templates):
// next to the executable (`<exe dir>/../share/clarity-connect`, so a relocated install, a DESTDIR
// staging tree, the .deb and the Docker image all work), then the install prefix the build was
// configured with (CMAKE_INSTALL_FULL_DATADIR).

#include <filesystem>
#include <vector>

namespace clarity::app {

/// `share/clarity-connect/mapping` directories of an installation, in look-up order, without
/// duplicates; they need not exist.
std::vector<std::filesystem::path> installed_template_dirs();

}  // namespace clarity::app
