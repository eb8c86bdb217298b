#pragma once
/// \file
/// Certificates generated at run time for TLS tests (OpenSSL APIs, EC P-256 keys): a test CA that
/// issues leaf certificates, and self-signed certificates. Nothing is read from or written to disk
/// unless the caller does it.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace clarity::fakes::http {

struct CertKey {
    std::string cert_pem;  ///< the certificate (a leaf, or the CA's own)
    std::string key_pem;   ///< its private key, PKCS#8 PEM
};

struct CertOptions {
    std::string common_name = "localhost";
    std::vector<std::string> dns_names{"localhost"};     ///< subjectAltName DNS entries
    std::vector<std::string> ip_addresses{"127.0.0.1"};  ///< subjectAltName IP entries
    /// Validity relative to now: [now + not_before, now + not_after].
    std::chrono::seconds not_before{-3600};
    std::chrono::seconds not_after{24 * 3600};
};

/// A certificate authority for tests. Thread-safe after construction.
class TestCa {
  public:
    explicit TestCa(std::string name = "Clarity Test CA");
    ~TestCa();
    TestCa(const TestCa&) = delete;
    TestCa& operator=(const TestCa&) = delete;
    /// The CA certificate (PEM), to be trusted by the client.
    const std::string& cert_pem() const;
    /// A server certificate signed by this CA.
    CertKey issue(const CertOptions& options = {}) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A self-signed server certificate (not trusted by anything).
CertKey make_self_signed(const CertOptions& options = {});

}  // namespace clarity::fakes::http
