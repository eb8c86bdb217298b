#pragma once
/// \file
/// The one gzip inflater (RFC 1952, by zlib), streaming: input arrives in pieces, output leaves in
/// pieces through a sink, nothing is held whole. Used for gzip-encoded HTTP bodies, SP-API report
/// and feed documents and settlement report files.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "clarity/core/result.hpp"

namespace clarity::core {

class GzipInflater {
  public:
    /// Receives each piece of decompressed output; returns false to stop (e.g. over a size limit).
    using Sink = std::function<bool(std::string_view)>;
    enum class Status {
        ok,       ///< all input consumed
        corrupt,  ///< the data is not gzip, or is damaged: error() says how
        stopped,  ///< the sink returned false
    };

    GzipInflater();
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;

    /// Inflates `in`, handing every byte of output to `sink` before returning. A file of several
    /// gzip members back to back (RFC 1952 §2.2) inflates as their concatenation.
    Status feed(std::string_view in, const Sink& sink);

    /// True when at least one member ended and no later member has begun: the input was whole.
    /// False after a truncated input (the "ended early" case callers report).
    bool complete() const;
    /// zlib's description of the damage after Status::corrupt.
    const std::string& error() const { return error_; }
    /// Decompressed bytes handed to the sink so far.
    std::uint64_t bytes_out() const { return bytes_out_; }

  private:
    struct Stream;
    std::unique_ptr<Stream> z_;
    bool member_open_ = false;
    bool any_ended_ = false;
    bool failed_ = false;
    std::string error_;
    std::uint64_t bytes_out_ = 0;
};

/// True when `data` starts with the gzip magic bytes (1f 8b).
bool looks_like_gzip(std::string_view data);

/// Inflates a whole gzip buffer. Errors (permanent): not gzip, damaged, ended early, or more than
/// `limit` bytes of output; `what` names the data in the message (e.g. "feed processing report").
Result<std::string> gunzip(std::string_view data, std::uint64_t limit, std::string_view what);

}  // namespace clarity::core
