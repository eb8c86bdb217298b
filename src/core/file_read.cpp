#include "clarity/core/file_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace clarity::core {

namespace {

/// An open descriptor, closed on scope exit.
class Fd {
  public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const noexcept { return fd_; }

  private:
    int fd_;
};

Error refused(std::string reason) { return make_error(ErrorKind::permanent, std::move(reason)); }

std::string what_it_is(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "a special file";
}

std::string over_limit(std::uint64_t size, std::uint64_t max_bytes) {
    return "it is " + std::to_string(size) + " bytes, over the limit of " +
           byte_limit_text(max_bytes);
}

/// Opens `path` for reading without blocking (a FIFO without a writer would block open(2)
/// itself) and checks that it is a regular file within the limit: the descriptor and its size.
Result<std::uint64_t> open_checked(const std::filesystem::path& path,
                                   std::uint64_t max_bytes,
                                   int& fd_out) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return refused(std::strerror(errno));
    fd_out = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return refused(std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        return refused("it is " + what_it_is(st.st_mode) + ", not a regular file");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > max_bytes) return refused(over_limit(size, max_bytes));
    return size;
}

}  // namespace

std::string byte_limit_text(std::uint64_t bytes) {
    constexpr std::uint64_t kKiB = 1024;
    if (bytes >= kKiB * kKiB * kKiB && bytes % (kKiB * kKiB * kKiB) == 0) {
        return std::to_string(bytes / (kKiB * kKiB * kKiB)) + " GiB";
    }
    if (bytes >= kKiB * kKiB && bytes % (kKiB * kKiB) == 0) {
        return std::to_string(bytes / (kKiB * kKiB)) + " MiB";
    }
    if (bytes >= kKiB && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + " KiB";
    return std::to_string(bytes) + " bytes";
}

Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
    int raw = -1;
    auto size = open_checked(path, max_bytes, raw);
    Fd fd(raw);
    if (!size) return size.error();
    // The file may change while it is read: read at most one byte past the limit to notice.
    std::string out;
    out.resize(static_cast<std::size_t>(*size) + 1);
    std::size_t got = 0;
    for (;;) {
        if (got == out.size()) {
            if (out.size() > max_bytes) return refused(over_limit(got, max_bytes));
            out.resize(std::min(out.size() * 2, max_bytes + 1));
        }
        const ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            return refused(std::strerror(errno));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
}

Result<std::uint64_t> check_regular_file(const std::filesystem::path& path,
                                         std::uint64_t max_bytes) {
    int raw = -1;
    auto size = open_checked(path, max_bytes, raw);
    Fd fd(raw);
    return size;
}

}  // namespace clarity::core
