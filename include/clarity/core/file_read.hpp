#pragma once
/// \file
/// Bounded reads of files named by the user (secret files, the configuration, mapping templates,
/// account maps, reports): the file is opened without blocking, anything that is not a regular
/// file (a FIFO, /dev/zero, /dev/urandom, a directory, a socket) is refused before a byte is
/// read, and so is a file over the caller's size limit. The limits are stated in every message.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "clarity/core/result.hpp"

namespace clarity::core {

/// A `file:` secret: a token or a password, never more than a few kilobytes.
inline constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;
/// The configuration file, mapping templates and settlement account maps (YAML).
inline constexpr std::size_t kMaxConfigFileBytes = 4 * 1024 * 1024;
/// JSON documents given on the command line (`mapping preview --input/--schema`,
/// `settlement inspect --finances`).
inline constexpr std::size_t kMaxDocumentFileBytes = 64 * 1024 * 1024;
/// Settlement reports, which are streamed rather than held in memory.
inline constexpr std::uint64_t kMaxReportFileBytes = std::uint64_t{4} << 30;

/// "64 KiB", "4 MiB", "4 GiB" or "1000 bytes": a limit as messages state it.
std::string byte_limit_text(std::uint64_t bytes);

/// Reads the whole of `path` when it is a regular file of at most `max_bytes`. Never blocks on a
/// FIFO or a device: it is refused. The error (ErrorKind::permanent) holds the reason only, for
/// the caller to put after its own words ("cannot read secret file P: <reason>"): the system's
/// text when the file cannot be opened ("No such file or directory"), "it is a FIFO (named
/// pipe), not a regular file", "it is 52428800 bytes, over the limit of 4 MiB".
Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

/// The same checks without reading, for a file then streamed: its size in bytes, or an error as
/// read_regular_file's.
Result<std::uint64_t> check_regular_file(const std::filesystem::path& path,
                                         std::uint64_t max_bytes);

}  // namespace clarity::core
