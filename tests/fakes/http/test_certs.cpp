#include "test_certs.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <stdexcept>

namespace clarity::fakes::http {

namespace {

struct KeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
    void operator()(X509* c) const { X509_free(c); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test certificate generation failed: ") + what);
}

KeyPtr make_key() {
    KeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");
    return key;
}

std::string to_pem(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

std::string to_pem(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(len));
    BIO_free(bio);
    return out;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

long next_serial() {
    static std::atomic<long> serial{1000};
    return ++serial;
}

CertPtr build(const std::string& cn,
              EVP_PKEY* subject_key,
              X509* issuer_cert,
              EVP_PKEY* issuer_key,
              bool is_ca,
              const CertOptions& o) {
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), next_serial());
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(o.not_before.count()));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(o.not_after.count()));
    X509_set_pubkey(cert.get(), subject_key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer_cert ? X509_get_subject_name(issuer_cert) : name);
    X509* issuer_for_ext = issuer_cert ? issuer_cert : cert.get();
    if (is_ca) {
        add_ext(cert.get(), issuer_for_ext, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert.get(), issuer_for_ext, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(cert.get(), issuer_for_ext, NID_subject_key_identifier, "hash");
    } else {
        add_ext(cert.get(), issuer_for_ext, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert.get(), issuer_for_ext, NID_ext_key_usage, "serverAuth");
        std::string san;
        for (const auto& d : o.dns_names) san += (san.empty() ? "" : ",") + ("DNS:" + d);
        for (const auto& ip : o.ip_addresses) san += (san.empty() ? "" : ",") + ("IP:" + ip);
        if (!san.empty()) add_ext(cert.get(), issuer_for_ext, NID_subject_alt_name, san);
    }
    check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

}  // namespace

struct TestCa::Impl {
    KeyPtr key;
    CertPtr cert;
    std::string pem;
};

TestCa::TestCa(std::string name) : impl_(std::make_unique<Impl>()) {
    impl_->key = make_key();
    CertOptions o;
    o.not_after = std::chrono::hours(24 * 30);
    impl_->cert = build(name, impl_->key.get(), nullptr, impl_->key.get(), true, o);
    impl_->pem = to_pem(impl_->cert.get());
}

TestCa::~TestCa() = default;

const std::string& TestCa::cert_pem() const { return impl_->pem; }

CertKey TestCa::issue(const CertOptions& options) const {
    KeyPtr key = make_key();
    CertPtr cert =
        build(options.common_name, key.get(), impl_->cert.get(), impl_->key.get(), false, options);
    return {to_pem(cert.get()), to_pem(key.get())};
}

CertKey make_self_signed(const CertOptions& options) {
    KeyPtr key = make_key();
    CertPtr cert = build(options.common_name, key.get(), nullptr, key.get(), false, options);
    return {to_pem(cert.get()), to_pem(key.get())};
}

}  // namespace clarity::fakes::http
