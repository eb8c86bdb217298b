#pragma once
/// \file
/// A small loopback HTTP/1.1 server for tests (fake Odoo, fake SP-API, the net client's tests).
///
/// It binds 127.0.0.1 on an ephemeral port, runs its own io_context on its own thread and answers
/// every request with a user handler `Response(const Request&)`. Keep-alive is honoured; every
/// request is logged and every accepted connection counted. Fault injection: close the connection
/// before or in the middle of a response, hold a response until the test releases it (no sleeping),
/// or delay it by a duration. Optional TLS with a PEM certificate and key, with a configurable
/// protocol version range (to emulate a TLS 1.0/1.1-only server).
///
/// Independent of src/net: it must not share code with the client it tests.
/// Thread-safety: every public member may be called from any thread. The handler runs on the
/// server thread, one request at a time.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clarity::fakes::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive header look-up; nullopt when absent.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

/// One received request, as the handler and the request log see it.
struct Request {
    std::string method;  ///< "GET", "POST", ...
    std::string target;  ///< origin-form target, with the query: "/path?x=1"
    Headers headers;     ///< in arrival order, names as sent
    std::string body;
    std::size_t connection_id = 0;  ///< 1-based number of the connection that carried it
    std::optional<std::string> header(std::string_view name) const {
        return find_header(headers, name);
    }
    /// The target without the query string.
    std::string path() const { return target.substr(0, target.find('?')); }
};

/// What to do instead of (or while) answering normally.
enum class Fault {
    none,
    close_before_response,  ///< read the request, then close the connection without a byte
    close_mid_response,     ///< send the head and half of the body (Content-Length of the whole),
                            ///< then close
    reset_before_response,  ///< read the request, then abort with a TCP RST (SO_LINGER 0)
    reset_mid_response,     ///< as close_mid_response, then abort with a TCP RST
};

/// The handler's answer.
struct Response {
    int status = 200;
    Headers headers;  ///< Content-Length is added unless `chunked` or given here
    std::string body;
    /// Send the body with Transfer-Encoding: chunked (in chunks of at most `chunk_size`).
    bool chunked = false;
    std::size_t chunk_size = 4096;
    /// Add "Connection: close" and close the connection after this response.
    bool close_connection = false;
    Fault fault = Fault::none;
    /// Keep the response back until release_held() (or the server stops). For timeout tests.
    bool hold = false;
    /// Answer only after this much (server-side timer).
    std::chrono::milliseconds delay{0};
    /// When set, these bytes are written verbatim instead of a formatted response (malformed
    /// replies). `fault` and `chunked` are ignored then.
    std::optional<std::string> raw;

    static Response text(int status, std::string body, std::string content_type = "text/plain");
    static Response json(int status, std::string body);
};

using Handler = std::function<Response(const Request&)>;

/// TLS settings of the fake.
struct TlsOptions {
    std::string cert_chain_pem;  ///< leaf certificate first, then intermediates
    std::string private_key_pem;
    /// Protocol range as OpenSSL versions (TLS1_VERSION = 0x0301 ... TLS1_3_VERSION = 0x0304);
    /// 0 = library default. A 1.0/1.1-only server also gets "@SECLEVEL=0" ciphers.
    int min_version = 0;
    int max_version = 0;
};

struct ServerOptions {
    std::optional<TlsOptions> tls;
    /// Request bodies larger than this are answered with 413 and the connection closed.
    std::size_t max_request_body = 64u << 20;
};

class FakeHttpServer {
  public:
    /// Starts listening on 127.0.0.1:0 and serving at once. Throws std::runtime_error when the
    /// socket or the TLS context cannot be set up.
    explicit FakeHttpServer(Handler handler, ServerOptions options = {});
    /// Stops the thread and closes every connection.
    ~FakeHttpServer();
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    /// "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>" (no trailing slash).
    std::string base_url() const;
    std::uint16_t port() const;
    /// Replaces the handler (takes effect for the next request).
    void set_handler(Handler handler);

    /// Every request received so far, in order.
    std::vector<Request> requests() const;
    std::size_t request_count() const;
    /// Number of accepted TCP connections so far.
    std::size_t connection_count() const;
    /// Connections currently open.
    std::size_t open_connections() const;
    /// Blocks until at least `n` requests arrived or `timeout` passed; true when they did.
    /// (A condition-variable wait, for tests that must know the server saw a request.)
    bool wait_for_requests(std::size_t n,
                           std::chrono::milliseconds timeout = std::chrono::seconds{5}) const;
    /// Sends every held response (Response::hold) now, and the later ones at once too when
    /// `and_future` is true.
    void release_held(bool and_future = false);
    /// Number of responses currently held.
    std::size_t held_count() const;
    /// Closes every open connection (idle keep-alive ones included) from the server side.
    void close_all_connections();

    struct Impl;  ///< implementation detail (public only for the .cpp's free functions)

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace clarity::fakes::http
