// Reports API 2021-06-30 codecs: see clarity/amazon/reports_api.hpp.
#include "clarity/amazon/reports_api.hpp"

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

}  // namespace clarity::amazon
