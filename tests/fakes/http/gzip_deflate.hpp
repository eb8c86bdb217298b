#pragma once
/// \file
/// gzip compression (zlib) for the fakes, which serve compressed documents and bodies, and for
/// tests that build compressed inputs. The daemon itself only inflates (clarity/core/gzip.hpp).

#include <string>
#include <string_view>

namespace clarity::fakes::http {

/// One gzip member holding `data`, at zlib compression `level` (1 fastest .. 9 smallest).
std::string gzip(std::string_view data, int level = 6);

}  // namespace clarity::fakes::http
