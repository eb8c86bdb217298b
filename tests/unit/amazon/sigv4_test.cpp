// Every case of both SigV4 suites in tests/data/vectors/aws-sigv4/ (see its README for the upstream
// defect in the doc suite's post-x-www-form-urlencoded cases: only .creq is checked there).
#include "clarity/amazon/sigv4.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/test_env.hpp"

namespace fs = std::filesystem;
using namespace clarity;
using namespace clarity::amazon;

namespace {

// A folded continuation line is one more value of the header in the 2015 doc suite
// ("value1,value2,value3") and part of the same value in the aws-c-auth suite ("value1 value2").
SignableRequest parse_request(const std::string& text, bool fold_as_new_value = false) {
    SignableRequest r;
    std::size_t pos = text.find('\n');
    std::string first = text.substr(0, pos);
    auto sp1 = first.find(' ');
    auto sp2 = first.rfind(' ');
    r.method = first.substr(0, sp1);
    r.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    pos = pos == std::string::npos ? text.size() : pos + 1;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty()) {
            if (pos < text.size()) r.body = text.substr(pos);
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            if (fold_as_new_value) {
                r.headers.emplace_back(r.headers.back().first, line);
            } else {
                r.headers.back().second += "\n" + line;
            }
            continue;
        }
        auto colon = line.find(':');
        r.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    return r;
}

std::string trim_end(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

Clock::time_point vector_time() {
    return std::chrono::system_clock::from_time_t(1440938160);  // 2015-08-30T12:36:00Z
}

std::vector<fs::path> case_dirs(const fs::path& root, const std::string& marker) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (e.is_regular_file() && e.path().filename().string().ends_with(marker)) {
            out.push_back(e.path().parent_path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST(SigV4, AwsCAuthSuiteHeaderAndQuerySigningMatchEveryCase) {
    auto root = test::data_dir() / "vectors/aws-sigv4/aws-c-auth-v4";
    auto dirs = case_dirs(root, "context.json");
    ASSERT_EQ(dirs.size(), 38u);
    for (const auto& dir : dirs) {
        SCOPED_TRACE(dir.filename().string());
        auto ctx = nlohmann::json::parse(test::read_file(dir / "context.json"));
        auto req = parse_request(test::read_file(dir / "request.txt"));
        AwsCredentials creds{ctx["credentials"]["access_key_id"],
                             Secret(ctx["credentials"]["secret_access_key"].get<std::string>()),
                             Secret(ctx["credentials"].value("token", std::string{}))};
        SigV4Params params{ctx["region"],    ctx["service"],
                           vector_time(),    ctx["normalize"],
                           ctx["sign_body"], ctx.value("omit_session_token", false)};
        auto h = sign_headers(req, creds, params);
        EXPECT_EQ(h.canonical_request,
                  trim_end(test::read_file(dir / "header-canonical-request.txt")));
        EXPECT_EQ(h.string_to_sign, trim_end(test::read_file(dir / "header-string-to-sign.txt")));
        EXPECT_EQ(h.signature, trim_end(test::read_file(dir / "header-signature.txt")));
        auto signed_req = test::read_file(dir / "header-signed-request.txt");
        EXPECT_NE(signed_req.find("Authorization:" + h.authorization), std::string::npos);

        SigV4Params qparams = params;
        qparams.sign_body = false;
        auto q =
            presign_query(req, creds, qparams, std::chrono::seconds(ctx["expiration_in_seconds"]));
        EXPECT_EQ(q.canonical_request,
                  trim_end(test::read_file(dir / "query-canonical-request.txt")));
        EXPECT_EQ(q.string_to_sign, trim_end(test::read_file(dir / "query-string-to-sign.txt")));
        EXPECT_EQ(q.signature, trim_end(test::read_file(dir / "query-signature.txt")));
    }
}

TEST(SigV4, AwsDocSuiteMatchesEveryCase) {
    auto root = test::data_dir() / "vectors/aws-sigv4/aws-doc-suite/aws-sig-v4-test-suite";
    auto dirs = case_dirs(root, ".creq");
    ASSERT_EQ(dirs.size(), 31u);
    const std::string token_name = "X-Amz-Security-Token";
    for (const auto& dir : dirs) {
        auto name = dir.filename().string();
        SCOPED_TRACE(name);
        auto base = dir / name;
        auto req = parse_request(test::read_file(base.string() + ".req"), true);
        AwsCredentials creds{"AKIDEXAMPLE", Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), {}};
        SigV4Params params{"us-east-1", "service", vector_time(), true, false, false};
        if (name == "post-sts-header-after") {
            // The token is added after signing (it appears in .sreq only).
            auto sreq = parse_request(test::read_file(base.string() + ".sreq"), true);
            auto it = std::find_if(sreq.headers.begin(), sreq.headers.end(),
                                   [&](const auto& h) { return h.first == token_name; });
            ASSERT_NE(it, sreq.headers.end());
            creds.session_token = Secret(it->second);
            params.omit_session_token = true;
        }
        auto sig = sign_headers(req, creds, params);
        EXPECT_EQ(sig.canonical_request, test::read_file(base.string() + ".creq"));
        if (name.starts_with("post-x-www-form-urlencoded")) continue;  // upstream defect
        EXPECT_EQ(sig.string_to_sign, test::read_file(base.string() + ".sts"));
        EXPECT_EQ(sig.authorization, test::read_file(base.string() + ".authz"));
        if (name == "post-sts-header-after") {
            bool added = false;
            for (const auto& [k, v] : sig.added_headers) added |= (k == token_name);
            EXPECT_TRUE(added);
        }
    }
}

TEST(SigV4, VerifierAcceptsOwnSignatureAndRejectsTampering) {
    AwsCredentials creds{"AKIDTEST", Secret("secret-key"), Secret("session")};
    SignableRequest req{"POST",
                        "/",
                        {{"Host", "sqs.us-east-1.amazonaws.com"},
                         {"Content-Type", "application/x-amz-json-1.0"},
                         {"X-Amz-Target", "AmazonSQS.ReceiveMessage"}},
                        R"({"QueueUrl":"q"})"};
    SigV4Params params{"us-east-1", "sqs", vector_time()};
    auto sig = sign_headers(req, creds, params);
    for (auto& h : sig.added_headers) req.headers.push_back(h);
    auto ok = verify_headers(req, "AKIDTEST", creds.secret_access_key, "us-east-1", "sqs",
                             vector_time() + std::chrono::minutes(1));
    EXPECT_TRUE(ok.valid) << ok.reason;

    auto tampered = req;
    tampered.body = R"({"QueueUrl":"other"})";
    EXPECT_FALSE(verify_headers(tampered, "AKIDTEST", creds.secret_access_key, "us-east-1", "sqs",
                                vector_time())
                     .valid);
    EXPECT_FALSE(
        verify_headers(req, "AKIDTEST", Secret("wrong"), "us-east-1", "sqs", vector_time()).valid);
    auto late = verify_headers(req, "AKIDTEST", creds.secret_access_key, "us-east-1", "sqs",
                               vector_time() + std::chrono::minutes(16));
    EXPECT_FALSE(late.valid);
    EXPECT_NE(late.reason.find("expired"), std::string::npos);
    EXPECT_FALSE(
        verify_headers(req, "AKIDTEST", creds.secret_access_key, "eu-west-1", "sqs", vector_time())
            .valid);
}

TEST(SigV4, SignRequestAddsHostDateTokenAndAuthorization) {
    net::HttpRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:4567/";
    r.body = "{}";
    sign_request(r, {"AK", Secret("S"), Secret("T")}, {"eu-west-1", "sqs", vector_time()});
    EXPECT_EQ(net::find_header(r.headers, "host").value_or(""), "127.0.0.1:4567");
    EXPECT_EQ(net::find_header(r.headers, "x-amz-date").value_or(""), "20150830T123600Z");
    EXPECT_EQ(net::find_header(r.headers, "x-amz-security-token").value_or(""), "T");
    auto auth = std::string(net::find_header(r.headers, "authorization").value_or(""));
    EXPECT_NE(auth.find("SignedHeaders=host;x-amz-date;x-amz-security-token"), std::string::npos);
    EXPECT_NE(auth.find("Credential=AK/20150830/eu-west-1/sqs/aws4_request"), std::string::npos);
}
