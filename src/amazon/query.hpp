#pragma once
// Private: builds SP-API query strings (RFC 3986 percent-encoding; arrays as csv, the models'
// collectionFormat).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clarity::amazon::detail {

std::string percent_encode(std::string_view s);
std::string percent_decode_query(std::string_view s);

class QueryBuilder {
  public:
    void add(std::string_view key, std::string_view value);
    void add_opt(std::string_view key, const std::optional<std::string>& value) {
        if (value) add(key, *value);
    }
    void add_csv(std::string_view key, const std::vector<std::string>& values);
    const std::string& str() const { return out_; }

  private:
    std::string out_;
};

}  // namespace clarity::amazon::detail
