#include "charts.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iterator>
#include <map>
#include <sstream>
#include <utility>

namespace compare {

namespace {
std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}
}  // namespace

std::string timeline_svg(const std::vector<ModelRun>& runs) {
    // Layout: a panel per model, stacked; a lane per worker; x = seconds since the model started.
    constexpr double width = 960, left = 110, right = 20, panel_gap = 34, top = 30;
    double longest = 0;
    for (const auto& run : runs) {
        longest = std::max(longest, run.report.at("seconds").get<double>());
        for (const auto& r : run.report.at("results")) longest = std::max(longest, r.at("end_s").get<double>());
    }
    if (longest <= 0) longest = 1;
    const double scale = (width - left - right) / longest;

    std::ostringstream body;
    double y = top;
    for (const auto& run : runs) {
        // Lanes: the distinct worker ids this run used, in order.
        std::map<int, int> lane_of;
        for (const auto& r : run.report.at("results")) lane_of.emplace(r.at("worker").get<int>(), 0);
        int lane = 0;
        for (auto& [worker, index] : lane_of) index = lane++;
        // Few lanes get thick bars, many lanes thin ones; a panel is never shorter than its label.
        const double lane_height = std::clamp(160.0 / std::max(1, lane), 2.0, 18.0);
        const double lane_gap = lane_height >= 4 ? 1 : 0;
        const double panel_height = std::max(32.0, lane * (lane_height + lane_gap));
        body << "<text x=\"8\" y=\"" << y + 12 << "\" class=\"label\">" << xml_escape(run.model.label) << "</text>\n";
        body << "<text x=\"8\" y=\"" << y + 26 << "\" class=\"small\">" << lane_of.size()
             << (lane_of.size() == 1 ? " lane" : " lanes") << ", " << std::fixed << std::setprecision(2)
             << run.report.at("seconds").get<double>() << " s</text>\n";
        body << "<rect x=\"" << left << "\" y=\"" << y << "\" width=\"" << width - left - right << "\" height=\""
             << panel_height << "\" class=\"panel\"/>\n";
        std::map<int, int> bars_in_lane;  // alternate two shades so neighbouring requests stay apart
        for (const auto& r : run.report.at("results")) {
            const double x0 = left + r.at("start_s").get<double>() * scale;
            const double x1 = left + r.at("end_s").get<double>() * scale;
            const double ly = y + lane_of[r.at("worker").get<int>()] * (lane_height + lane_gap);
            body << "<rect x=\"" << x0 << "\" y=\"" << ly << "\" width=\"" << std::max(0.5, x1 - x0) << "\" height=\""
                 << lane_height << "\" class=\""
                 << (!r.at("ok").get<bool>() ? "failed" : bars_in_lane[r.at("worker").get<int>()]++ % 2 ? "ok2" : "ok")
                 << "\"><title>"
                 << xml_escape(r.at("url").get<std::string>()) << "</title></rect>\n";
        }
        y += panel_height + panel_gap;
    }
    // Time axis under the last panel.
    std::ostringstream axis;
    const double step = longest > 20 ? 5 : longest > 5 ? 1 : longest > 1 ? 0.5 : 0.1;
    for (double t = 0; t <= longest + 1e-9; t += step) {
        const double x = left + t * scale;
        axis << "<line x1=\"" << x << "\" y1=\"" << top << "\" x2=\"" << x << "\" y2=\"" << y - panel_gap + 4
             << "\" class=\"grid\"/><text x=\"" << x << "\" y=\"" << y - panel_gap + 16 << "\" class=\"small\" text-anchor=\"middle\">"
             << std::defaultfloat << t << " s</text>\n";
    }
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << y - panel_gap + 26
        << "\" font-family=\"sans-serif\">\n"
        << "<style>.label{font-size:13px;font-weight:bold}.small{font-size:10px;fill:#555}"
           ".panel{fill:#f6f6f6}.ok{fill:#3b7dd8}.ok2{fill:#8db6ee}.failed{fill:#d83b3b}.grid{stroke:#ddd;stroke-width:1}</style>\n"
        << "<text x=\"8\" y=\"16\" class=\"label\">One bar per request, one lane per worker (red: failed)</text>\n"
        << axis.str() << body.str() << "</svg>\n";
    return svg.str();
}

std::string sweep_svg(const std::vector<Row>& rows) {
    auto tick_label = [](double seconds) {
        std::ostringstream text;
        text << seconds;  // default format: 0.1, 2, 50, 100
        return text.str();
    };
    constexpr double width = 760, height = 440, left = 70, right = 150, top = 40, bottom = 50;
    // Each model's points in sweep order, and the ideal time per worker count (the same for
    // every model: it depends only on the latencies and the number of workers).
    std::vector<std::pair<std::string, std::vector<std::pair<int, double>>>> lines;
    std::map<int, double> ideal;
    int max_workers = 1;
    double low = 1e9, high = 0;
    for (const auto& r : rows) {
        if (r.seconds <= 0 || r.workers < 1) continue;
        if (lines.empty() || lines.back().first != r.model) lines.push_back({r.model, {}});
        lines.back().second.emplace_back(r.workers, r.seconds);
        max_workers = std::max(max_workers, r.workers);
        low = std::min(low, r.seconds);
        high = std::max(high, r.seconds);
        if (r.ideal_seconds && *r.ideal_seconds > 0) {
            ideal[r.workers] = *r.ideal_seconds;
            low = std::min(low, *r.ideal_seconds);
        }
    }
    if (high <= 0) low = 0.1, high = 1;
    // Round the time axis out to decades so the ticks (1, 2, 5 per decade) are readable.
    const double y_min = std::pow(10, std::floor(std::log10(low))), y_max = std::pow(10, std::ceil(std::log10(high)));
    const double x_max = std::max(2.0, static_cast<double>(max_workers));
    auto x_of = [&](double workers) { return left + std::log2(workers) / std::log2(x_max) * (width - left - right); };
    auto y_of = [&](double seconds) {
        return top + (std::log10(y_max) - std::log10(seconds)) / (std::log10(y_max) - std::log10(y_min)) * (height - top - bottom);
    };
    static const char* colours[] = {"#3b7dd8", "#d8843b", "#2e9e5b", "#9b59b6", "#555555"};

    std::ostringstream svg;
    svg << std::fixed << std::setprecision(1);
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" font-family=\"sans-serif\">\n"
        << "<style>.label{font-size:13px;font-weight:bold}.small{font-size:11px;fill:#555}"
           ".grid{stroke:#ddd;stroke-width:1}.ideal{fill:none;stroke:#888;stroke-width:2;stroke-dasharray:6 4}</style>\n"
        << "<text x=\"8\" y=\"18\" class=\"label\">Wall time against workers (log-log; dashed: the ideal schedule)</text>\n";
    for (double decade = y_min; decade <= y_max * 1.0001; decade *= 10) {
        for (double m : {1.0, 2.0, 5.0}) {
            const double t = decade * m;
            if (t > y_max * 1.0001) break;
            svg << "<line x1=\"" << left << "\" y1=\"" << y_of(t) << "\" x2=\"" << width - right << "\" y2=\"" << y_of(t)
                << "\" class=\"grid\"/><text x=\"" << left - 6 << "\" y=\"" << y_of(t) + 4
                << "\" class=\"small\" text-anchor=\"end\">" << tick_label(t) << " s</text>\n";
        }
    }
    for (int w = 1;; w *= 2) {
        const int shown = std::min(w, max_workers);
        svg << "<line x1=\"" << x_of(shown) << "\" y1=\"" << top << "\" x2=\"" << x_of(shown) << "\" y2=\"" << height - bottom
            << "\" class=\"grid\"/><text x=\"" << x_of(shown) << "\" y=\"" << height - bottom + 16
            << "\" class=\"small\" text-anchor=\"middle\">" << shown << "</text>\n";
        if (shown == max_workers) break;
    }
    svg << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 12
        << "\" class=\"small\" text-anchor=\"middle\">workers (threads, processes, or requests in flight)</text>\n";
    double legend_y = top + 10;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const char* colour = colours[std::min(i, std::size(colours) - 1)];
        svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"3\" points=\"";
        for (const auto& [w, t] : lines[i].second) svg << x_of(w) << ',' << y_of(t) << ' ';
        svg << "\"/>\n";
        for (const auto& [w, t] : lines[i].second) {
            svg << "<circle cx=\"" << x_of(w) << "\" cy=\"" << y_of(t) << "\" r=\"4\" fill=\"" << colour << "\"><title>"
                << xml_escape(lines[i].first) << ", " << w << " workers: " << std::setprecision(3) << t << std::setprecision(1)
                << " s</title></circle>\n";
        }
        svg << "<rect x=\"" << width - right + 16 << "\" y=\"" << legend_y - 9 << "\" width=\"18\" height=\"4\" fill=\"" << colour
            << "\"/><text x=\"" << width - right + 40 << "\" y=\"" << legend_y - 3 << "\" class=\"small\">"
            << xml_escape(lines[i].first) << "</text>\n";
        legend_y += 20;
    }
    // The ideal line last, on top: where a model meets its ideal, its line hides under the dashes.
    if (!ideal.empty()) {
        svg << "<polyline class=\"ideal\" points=\"";
        for (const auto& [w, t] : ideal) svg << x_of(w) << ',' << y_of(t) << ' ';
        svg << "\"><title>ideal schedule</title></polyline>\n";
        svg << "<line x1=\"" << width - right + 16 << "\" y1=\"" << legend_y - 7 << "\" x2=\"" << width - right + 34 << "\" y2=\""
            << legend_y - 7 << "\" class=\"ideal\"/><text x=\"" << width - right + 40 << "\" y=\"" << legend_y - 3
            << "\" class=\"small\">ideal</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

}  // namespace compare
