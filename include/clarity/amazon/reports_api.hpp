#pragma once
/// \file
/// Reports API 2021-06-30 (getReports, getReport, getReportDocument): structs and codecs, and the
/// document location that feed result documents share. No payload wrapper.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clarity/core/result.hpp"

namespace clarity::amazon {

/// A document to download (feed result or report).
struct DocumentLocation {
    std::string document_id, url;
    std::string compression_algorithm;  ///< "GZIP" or empty
};

struct ReportsRequest {
    std::vector<std::string> report_types;  ///< <= 10
    std::vector<std::string> processing_statuses;
    std::vector<std::string> marketplace_ids;
    std::optional<std::string> created_since, created_until;
    std::optional<int> page_size;
    std::optional<std::string> next_token;  ///< when set, it is sent alone (model rule)
};

struct Report {
    std::string report_id, report_type, processing_status, report_document_id, created_time,
        data_start_time, data_end_time, processing_end_time;
    std::vector<std::string> marketplace_ids;
};

struct ReportsPage {
    std::vector<Report> reports;
    std::optional<std::string> next_token;
};

Result<DocumentLocation> decode_document_location(std::string_view body, std::string_view id_field);

/// A document as SpApiClient::download_document stored it: `file` holds Amazon's bytes, gzip data
/// when `gzip` (the location said GZIP).
struct DownloadedDocument {
    std::filesystem::path file;
    bool gzip = false;
};

/// The document's text in `to`: a GZIP download is inflated into `to` in pieces (a report may be
/// far larger than memory) and its gzip file removed; a plain one is `to` already. Answers the
/// text's size. Blocking file work: run it off the I/O thread (a flow: on the store's worker).
/// Damaged or truncated gzip data is permanent (request the report again); a file that cannot be
/// written is transient.
Result<std::uintmax_t> finish_document(const DownloadedDocument& document,
                                       const std::filesystem::path& to);
Result<ReportsPage> decode_reports(std::string_view body);
Result<Report> decode_report(std::string_view body);
std::string encode_reports_query(const ReportsRequest& request);

}  // namespace clarity::amazon
