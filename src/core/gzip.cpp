// The streaming gzip inflater: see clarity/core/gzip.hpp.
#include "clarity/core/gzip.hpp"

#include <zlib.h>

#include <array>
#include <climits>

namespace clarity::core {

struct GzipInflater::Stream {
    z_stream z{};
    bool ready = false;
    Stream() { ready = inflateInit2(&z, 16 + MAX_WBITS) == Z_OK; }
    ~Stream() {
        if (ready) inflateEnd(&z);
    }
};

GzipInflater::GzipInflater() : z_(std::make_unique<Stream>()) {
    if (!z_->ready) {
        failed_ = true;
        error_ = "zlib could not be initialised (out of memory?)";
    }
}

GzipInflater::~GzipInflater() = default;

GzipInflater::Status GzipInflater::feed(std::string_view in, const Sink& sink) {
    if (failed_) return Status::corrupt;
    std::array<char, 32768> out;
    z_stream& z = z_->z;
    while (!in.empty()) {
        // zlib counts input in uInt: hand it over in slices.
        const std::size_t slice = std::min<std::size_t>(in.size(), UINT_MAX);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = static_cast<uInt>(slice);
        // Until the slice is consumed and zlib holds no more output for it (a full output buffer
        // means there may be more).
        bool output_pending = false;
        while (z.avail_in > 0 || output_pending) {
            if (z.avail_in > 0 && any_ended_ && !member_open_) {
                // The previous member ended and more bytes follow: the next member begins.
                inflateReset(&z);
            }
            if (z.avail_in > 0) member_open_ = true;
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            const int rc = inflate(&z, Z_NO_FLUSH);
            const std::size_t produced = out.size() - z.avail_out;
            output_pending = z.avail_out == 0;
            if (produced > 0) {
                bytes_out_ += produced;
                if (!sink(std::string_view(out.data(), produced))) return Status::stopped;
            }
            if (rc == Z_STREAM_END) {
                member_open_ = false;
                any_ended_ = true;
                output_pending = false;
            } else if (rc == Z_BUF_ERROR && z.avail_in == 0) {
                output_pending = false;  // all consumed, nothing held back: needs more input
            } else if (rc != Z_OK && !(rc == Z_BUF_ERROR && produced > 0)) {
                failed_ = true;
                error_ = rc == Z_BUF_ERROR  ? std::string("decompression made no progress")
                         : z.msg != nullptr ? std::string(z.msg)
                                            : "zlib error " + std::to_string(rc);
                return Status::corrupt;
            }
        }
        in.remove_prefix(slice);
    }
    return Status::ok;
}

bool GzipInflater::complete() const { return !failed_ && any_ended_ && !member_open_; }

bool looks_like_gzip(std::string_view data) {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

Result<std::string> gunzip(std::string_view data, std::uint64_t limit, std::string_view what) {
    const std::string name(what);
    if (!looks_like_gzip(data)) {
        return make_error(ErrorKind::permanent, name + " is flagged GZIP but is not gzip data",
                          "gunzip");
    }
    std::string out;
    GzipInflater inflater;
    const auto st = inflater.feed(data, [&](std::string_view piece) {
        if (out.size() + piece.size() > limit) return false;
        out.append(piece);
        return true;
    });
    if (st == GzipInflater::Status::stopped) {
        return make_error(
            ErrorKind::permanent,
            name + " inflates to more than the limit of " + std::to_string(limit) + " bytes",
            "gunzip");
    }
    if (st == GzipInflater::Status::corrupt) {
        return make_error(ErrorKind::permanent,
                          name + " is damaged gzip data (" + inflater.error() + ")", "gunzip");
    }
    if (!inflater.complete()) {
        return make_error(ErrorKind::permanent,
                          name + " ends early after " + std::to_string(inflater.bytes_out()) +
                              " decompressed bytes (truncated download?)",
                          "gunzip");
    }
    return out;
}

}  // namespace clarity::core
