// Reports API 2021-06-30 codecs: see clarity/amazon/reports_api.hpp.
#include "clarity/amazon/reports_api.hpp"

#include <fstream>
#include <vector>

#include "clarity/core/gzip.hpp"
#include "json_util.hpp"
#include "query.hpp"

namespace clarity::amazon {

using namespace detail;

Result<DocumentLocation> decode_document_location(std::string_view body,
                                                  std::string_view id_field) {
    auto j = parse_body(body, "document");
    if (!j) return j.error();
    DocumentLocation d{str(j->v, id_field), str(j->v, "url"), str(j->v, "compressionAlgorithm")};
    if (d.url.empty()) return missing_field("document", "url");
    return d;
}

namespace {
Report report_of(const json& r) {
    return Report{
        str(r, "reportId"),         str(r, "reportType"),        str(r, "processingStatus"),
        str(r, "reportDocumentId"), str(r, "createdTime"),       str(r, "dataStartTime"),
        str(r, "dataEndTime"),      str(r, "processingEndTime"), strings(r, "marketplaceIds")};
}
}  // namespace

Result<ReportsPage> decode_reports(std::string_view body) {
    auto j = parse_body(body, "getReports");
    if (!j) return j.error();
    auto* arr = member(j->v, "reports");
    if (arr == nullptr) return missing_field("getReports", "reports");
    ReportsPage page;
    for (const auto& r : array_or_empty(j->v, "reports")) page.reports.push_back(report_of(r));
    auto t = str(j->v, "nextToken");
    if (!t.empty()) page.next_token = t;
    return page;
}

Result<Report> decode_report(std::string_view body) {
    auto j = parse_body(body, "getReport");
    if (!j) return j.error();
    auto r = report_of(j->v);
    if (r.report_id.empty()) return missing_field("getReport", "reportId");
    return r;
}

std::string encode_reports_query(const ReportsRequest& r) {
    QueryBuilder q;
    if (r.next_token) {  // the model: with nextToken, every other parameter must be absent
        q.add("nextToken", *r.next_token);
        return q.str();
    }
    q.add_csv("reportTypes", r.report_types);
    q.add_csv("processingStatuses", r.processing_statuses);
    q.add_csv("marketplaceIds", r.marketplace_ids);
    if (r.page_size) q.add("pageSize", std::to_string(*r.page_size));
    q.add_opt("createdSince", r.created_since);
    q.add_opt("createdUntil", r.created_until);
    return q.str();
}

namespace {

/// Inflates the gzip file `from` into `to`, in pieces. Damaged or truncated data is permanent:
/// Amazon's stored document is what it is, the HTTP layer has already retried broken transfers.
Result<void> inflate_file(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) {
        return make_error(ErrorKind::transient,
                          "cannot open " + (in ? to : from).string() + " (permissions, disk full?)",
                          "downloadDocument");
    }
    core::GzipInflater inflater;
    std::vector<char> buf(256 * 1024);
    const auto write = [&out](std::string_view piece) {
        out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
        return static_cast<bool>(out);
    };
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        const auto st = inflater.feed(std::string_view(buf.data(), got), write);
        if (st == core::GzipInflater::Status::stopped) {
            return make_error(ErrorKind::transient, "cannot write " + to.string() + " (disk full?)",
                              "downloadDocument");
        }
        if (st == core::GzipInflater::Status::corrupt) {
            return make_error(ErrorKind::permanent,
                              "the document flagged GZIP is damaged gzip data (" +
                                  inflater.error() + "); request the report again",
                              "downloadDocument");
        }
    }
    if (!inflater.complete()) {
        return make_error(ErrorKind::permanent,
                          "the document flagged GZIP ends early after " +
                              std::to_string(inflater.bytes_out()) +
                              " decompressed bytes; request the report again",
                          "downloadDocument");
    }
    out.flush();
    if (!out) {
        return make_error(ErrorKind::transient, "cannot write " + to.string() + " (disk full?)",
                          "downloadDocument");
    }
    return {};
}

}  // namespace

Result<std::uintmax_t> finish_document(const DownloadedDocument& document,
                                       const std::filesystem::path& to) {
    std::error_code ec;
    if (document.gzip) {
        auto inflated = inflate_file(document.file, to);
        std::filesystem::remove(document.file, ec);
        if (!inflated) return inflated.error();
    } else if (document.file != to) {
        std::filesystem::rename(document.file, to, ec);
        if (ec) {
            return make_error(ErrorKind::transient,
                              "cannot move " + document.file.string() + " to " + to.string() +
                                  ": " + ec.message(),
                              "downloadDocument");
        }
    }
    const auto size = std::filesystem::file_size(to, ec);
    if (ec) {
        return make_error(ErrorKind::transient, "cannot read " + to.string() + ": " + ec.message(),
                          "downloadDocument");
    }
    return size;
}

}  // namespace clarity::amazon
