# Install rules (GNUInstallDirs) and the .deb (CPack). Included from the top-level CMakeLists.txt
# after the targets exist. Layout, relative to the install prefix (docs/operations.md):
#   bin/clarity-connect                                  the daemon
#   share/clarity-connect/mapping/*.yaml                 default mapping templates (found through
#                                                        the executable: src/app/install_dirs.cpp)
#   share/doc/clarity-connect/{README.md,LICENSE,docs/}  documentation
#   share/doc/clarity-connect/examples/                  example configuration
#   lib/systemd/system/clarity-connect.service           systemd unit (paths filled in at install)
#
#   cmake --install build/release --prefix /usr/local            # or DESTDIR=/stage ... --prefix /usr
#   cd build/release && cpack -G DEB                              # clarity-connect_<v>_<arch>.deb

# `cpack` and `make install` install what is built; they do not first walk the whole build graph
# (hundreds of test and bench targets: ~25 s of make on 2 cores even when nothing is out of date).
# Build first (`cmake --build`), as the commands above do.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CLARITY_DOCDIR "${CMAKE_INSTALL_DATAROOTDIR}/doc/clarity-connect")
set(CLARITY_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "Directory of the systemd unit, relative to the install prefix (or absolute)")

install(TARGETS clarity-connect RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/mapping/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/clarity-connect/mapping
        FILES_MATCHING PATTERN "*.yaml")
install(FILES ${PROJECT_SOURCE_DIR}/config/clarity-connect.example.yaml
        DESTINATION ${CLARITY_DOCDIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
        DESTINATION ${CLARITY_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CLARITY_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md")

# The unit names the binary and the docs by absolute path, known only at install time: `cmake
# --install --prefix` and CPack (which installs with prefix /usr into a DESTDIR staging tree) both
# set CMAKE_INSTALL_PREFIX then. Generated into a directory of its own per prefix and DESTDIR, so
# two installs from one build tree at once do not write the same file.
set(clarity_unit_code [[
    set(_prefix "${CMAKE_INSTALL_PREFIX}")
    string(MD5 _tag "$ENV{DESTDIR}|${_prefix}")
    set(BINDIR "${_prefix}/@CMAKE_INSTALL_BINDIR@")
    set(DOCDIR "${_prefix}/@CLARITY_DOCDIR@")
    set(_unit "@CMAKE_CURRENT_BINARY_DIR@/systemd-unit/${_tag}/clarity-connect.service")
    configure_file("@PROJECT_SOURCE_DIR@/config/systemd/clarity-connect.service.in" "${_unit}" @ONLY)
    set(_unitdir "@CLARITY_SYSTEMD_UNITDIR@")
    if(NOT IS_ABSOLUTE "${_unitdir}")
        set(_unitdir "${_prefix}/${_unitdir}")
    endif()
    file(INSTALL DESTINATION "${_unitdir}" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
         WORLD_READ FILES "${_unit}")
]])
string(CONFIGURE "${clarity_unit_code}" clarity_unit_code @ONLY)
install(CODE "${clarity_unit_code}")


# --- the .deb: `cpack -G DEB` in the build tree --------------------------------------------------
# Installs under /usr (Debian policy: packages never use /usr/local). The maintainer scripts
# (packaging/deb) create the clarity-connect system user, /var/lib/clarity-connect and
# /etc/clarity-connect, and enable the unit; they start it only once the configuration exists.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME clarity-connect)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Clarity Connect maintainers <clarity-connect@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Integration daemon between Odoo ERP and Amazon Selling Partner API")
set(CPACK_PACKAGE_DESCRIPTION
    "Imports Amazon orders into Odoo as sale orders through a durable SQLite job queue, with\n"
    "idempotent retries, SP-API usage-plan rate limiting and a Prometheus admin endpoint.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries found by dpkg-shlibdeps, plus what the maintainer scripts and TLS need.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
    ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
