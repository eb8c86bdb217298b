#include "sp_api/fake_sp_api_sandbox.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

// Static sandbox replay after NOTES.md §11 "Fake-server design for contract tests", steps 1-4.

namespace clarity::fakes::sp_api {

using nlohmann::json;

namespace {

struct Example {
    int status = 200;
    json parameters;  // name -> {value: v} or {} (present/any)
    json response;    // null when the example has no body (204)
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string> template_names(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = path.find('{', pos)) != std::string_view::npos) {
        auto end = path.find('}', pos);
        if (end == std::string_view::npos) break;
        out.emplace_back(path.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return out;
}

std::vector<std::string> split_csv(const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto c = s.find(',', pos);
        if (c == std::string::npos) c = s.size();
        out.push_back(s.substr(pos, c - pos));
        pos = c + 1;
    }
    return out;
}

std::string scalar_text(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    return v.dump();  // numbers and booleans as written in a query string
}

// Does the bound request value `text` equal the example's `value`?
bool matches(const json& value, const std::string& text) {
    if (value.is_array()) {
        std::vector<std::string> want;
        for (const auto& v : value) want.push_back(scalar_text(v));
        auto got = split_csv(text);
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        return want == got;
    }
    if (value.is_object()) {
        auto parsed = json::parse(text, nullptr, false);
        return !parsed.is_discarded() && parsed == value;
    }
    return scalar_text(value) == text;
}

}  // namespace

struct SandboxExamples::Impl {
    std::map<amazon::Operation, std::vector<Example>> examples;
};

SandboxExamples::SandboxExamples(const std::filesystem::path& reference_dir)
    : impl_(std::make_unique<Impl>()) {
    std::map<std::string, json> models;
    for (const auto& info : amazon::all_operations()) {
        const std::string file(info.model);
        auto it = models.find(file);
        if (it == models.end()) {
            std::ifstream in(reference_dir / file);
            if (!in) {
                throw std::runtime_error("sandbox: cannot read model " +
                                         (reference_dir / file).string());
            }
            std::stringstream text;
            text << in.rdbuf();
            auto parsed = json::parse(text.str(), nullptr, false);
            if (parsed.is_discarded()) throw std::runtime_error("sandbox: malformed model " + file);
            it = models.emplace(file, std::move(parsed)).first;
        }
        const auto& paths = it->second["paths"];
        auto path = paths.find(std::string(info.path));
        if (path == paths.end()) continue;
        auto op = path->find(lower(info.method));
        if (op == path->end() || !op->contains("responses")) continue;
        auto& list = impl_->examples[info.op];
        for (const auto& [code, response] : (*op)["responses"].items()) {
            if (!response.is_object() || !response.contains("x-amzn-api-sandbox")) continue;
            const auto& sandbox = response["x-amzn-api-sandbox"];
            if (!sandbox.contains("static")) continue;
            for (const auto& ex : sandbox["static"]) {
                Example e;
                e.status = std::stoi(code);
                e.parameters =
                    ex.value("request", json::object()).value("parameters", json::object());
                e.response = ex.value("response", json());
                list.push_back(std::move(e));
            }
        }
    }
}

SandboxExamples::~SandboxExamples() = default;

std::size_t SandboxExamples::count(amazon::Operation op) const {
    auto it = impl_->examples.find(op);
    return it == impl_->examples.end() ? 0 : it->second.size();
}

std::optional<SandboxExamples::Answer> SandboxExamples::answer(
    const amazon::OperationInfo& op,
    const std::vector<std::string>& path_values,
    const std::map<std::string, std::string>& query,
    const std::string& body) const {
    auto it = impl_->examples.find(op.op);
    if (it == impl_->examples.end() || it->second.empty()) return std::nullopt;

    std::map<std::string, std::string> path_params;
    auto names = template_names(op.path);
    for (std::size_t i = 0; i < names.size() && i < path_values.size(); ++i)
        path_params[names[i]] = path_values[i];

    const Example* best = nullptr;
    int best_score = -1;
    for (const auto& ex : it->second) {
        int score = 0;
        bool ok = true;
        for (const auto& [name, spec] : ex.parameters.items()) {
            if (!spec.is_object() || !spec.contains("value")) continue;  // present/any
            const auto& value = spec["value"];
            if (name == "body") {
                auto parsed = json::parse(body.empty() ? "null" : body, nullptr, false);
                ok = !parsed.is_discarded() && parsed == value;
            } else if (auto p = path_params.find(name); p != path_params.end()) {
                ok = matches(value, p->second);
            } else if (auto q = query.find(name); q != query.end()) {
                ok = matches(value, q->second);
            } else {
                ok = false;  // a listed parameter the request does not carry
            }
            if (!ok) break;
            ++score;
        }
        if (ok && score > best_score) {
            best = &ex;
            best_score = score;
        }
    }
    if (best == nullptr) {
        json err{
            {"errors",
             json::array({{{"code", "InvalidInput"},
                           {"message", "Invalid Input"},
                           {"details", "fake sandbox: no static example of " +
                                           std::string(op.name) + " matches this request"}}})}};
        return Answer{400, err.dump()};
    }
    return Answer{best->status, best->response.is_null() ? std::string() : best->response.dump()};
}

}  // namespace clarity::fakes::sp_api
