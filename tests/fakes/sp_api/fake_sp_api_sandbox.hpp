#pragma once
/// \file
/// The fake SP-API's sandbox mode: replays the `x-amzn-api-sandbox` static examples of the official
/// models (tests/data/sp-api/models, read at run time) the way Amazon's
/// static sandbox does (NOTES.md §11): the request is matched against each example's listed
/// parameters (path, query and body; unlisted parameters are ignored, arrays compare
/// order-insensitively, bodies by deep equality, a parameter listed without a value matches
/// anything), the most specific matching example wins, and its response is returned with the
/// status code it is filed under. A request that matches no example of an operation that has
/// examples gets a 400 InvalidInput naming the operation. Operations whose models declare only a
/// dynamic sandbox (FBA Inventory, Fulfillment Outbound 2020-07-01) have no examples: the fake's
/// own stateful behaviour answers them.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clarity/amazon/operations.hpp"

namespace clarity::fakes::sp_api {

class SandboxExamples {
  public:
    struct Answer {
        int status = 200;
        std::string body;  ///< JSON text; empty for a 204 without a body
    };

    /// Loads the static examples of every operation in amazon::all_operations() from
    /// `reference_dir` (the folder holding models/, i.e. tests/data/sp-api). Throws
    /// std::runtime_error when a model file is missing or unreadable.
    explicit SandboxExamples(const std::filesystem::path& reference_dir);
    ~SandboxExamples();
    SandboxExamples(const SandboxExamples&) = delete;
    SandboxExamples& operator=(const SandboxExamples&) = delete;

    /// The answer for one request of `op`, or nullopt when the operation has no static examples.
    /// `path_values` are the decoded path parameters in template order; `query` the decoded query
    /// parameters; `body` the raw request body.
    std::optional<Answer> answer(const amazon::OperationInfo& op,
                                 const std::vector<std::string>& path_values,
                                 const std::map<std::string, std::string>& query,
                                 const std::string& body) const;

    /// Number of static examples loaded for `op` (all status codes).
    std::size_t count(amazon::Operation op) const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace clarity::fakes::sp_api
