#include "clarity/core/secret.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace clarity {
namespace {

TEST(Secret, PrintsMaskedThroughStreamsAndFmt) {
    Secret s("refresh-token-value");
    std::ostringstream os;
    os << s;
    EXPECT_EQ(os.str(), "***");
    EXPECT_EQ(fmt::format("token={}", s), "token=***");
    EXPECT_EQ(s.reveal(), "refresh-token-value");
}

}  // namespace
}  // namespace clarity
