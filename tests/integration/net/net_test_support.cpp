#include "net_test_support.hpp"

#include <stdexcept>

#include "http/gzip_deflate.hpp"

namespace clarity::net::test {

std::string gzip(const std::string& text) { return fakes::http::gzip(text, 1); }

}  // namespace clarity::net::test
