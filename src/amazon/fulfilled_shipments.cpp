#include "clarity/amazon/fulfilled_shipments.hpp"

#include <optional>
#include <vector>

namespace clarity::amazon {
namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string_view::npos ? line.npos : tab - start));
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return out;
}

}  // namespace

std::map<std::string, std::string> parse_fulfilled_shipments(std::string_view text) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    std::optional<std::size_t> c_order, c_carrier, c_tracking;
    bool header = true;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        if (line.empty()) continue;
        auto cells = split_tabs(line);
        if (header) {
            for (std::size_t i = 0; i < cells.size(); ++i) {
                if (cells[i] == "amazon-order-id") c_order = i;
                if (cells[i] == "carrier") c_carrier = i;
                if (cells[i] == "tracking-number") c_tracking = i;
            }
            header = false;
            if (!c_order || !c_tracking) return out;
            continue;
        }
        if (*c_order >= cells.size() || *c_tracking >= cells.size()) continue;
        const std::string_view tracking = cells[*c_tracking];
        if (tracking.empty()) continue;
        std::string entry;
        if (c_carrier && *c_carrier < cells.size() && !cells[*c_carrier].empty()) {
            entry.append(cells[*c_carrier]).append(" ");
        }
        entry.append(tracking);
        std::string& all = out[std::string(cells[*c_order])];
        if (all.find(entry) == std::string::npos) all += (all.empty() ? "" : ", ") + entry;
    }
    return out;
}

}  // namespace clarity::amazon
