// The SVG charts: a timeline of every request of every run, and the sweep's time against workers.
// Plain SVG text, so a browser (or the Markdown page quoting it) shows it without any library.
#pragma once

#include <string>
#include <vector>

#include "run_model.hpp"
#include "table.hpp"

namespace compare {

// An SVG with one panel per run on a shared time axis: a lane per worker, a bar per request.
std::string timeline_svg(const std::vector<ModelRun>& runs);

// An SVG line chart of a sweep: wall seconds against workers, one line per model, and the
// ideal time for each worker count (dashed) when the rows have it. Both axes are logarithmic,
// so halving the time per doubling of workers is a straight line and the point where adding
// workers stops helping is where a line turns flat.
std::string sweep_svg(const std::vector<Row>& rows);

}  // namespace compare
