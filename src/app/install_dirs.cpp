#include "install_dirs.hpp"

#include <system_error>

#ifndef CLARITY_INSTALL_DATADIR
#error "CLARITY_INSTALL_DATADIR is defined by src/app/CMakeLists.txt"
#endif

namespace clarity::app {

namespace fs = std::filesystem;

std::vector<fs::path> installed_template_dirs() {
    std::vector<fs::path> dirs;
    std::error_code ec;
    // /proc/self/exe: the executable itself, whatever the working directory or argv[0] was.
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && exe.has_parent_path()) {
        dirs.push_back((exe.parent_path().parent_path() / "share" / "clarity-connect" / "mapping")
                           .lexically_normal());
    }
    const auto configured =
        (fs::path(CLARITY_INSTALL_DATADIR) / "clarity-connect" / "mapping").lexically_normal();
    if (dirs.empty() || dirs.front() != configured) dirs.push_back(configured);
    return dirs;
}

}  // namespace clarity::app
