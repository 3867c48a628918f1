#include "scaling_demo.hpp"

#include <algorithm>
#include <iomanip>
#include <ostream>

#include "common/report.hpp"
#include "common/text.hpp"
#include "cpu_models.hpp"
#include "cpu_report.hpp"
#include "workload.hpp"

namespace cpu {

int run_scaling_demo(std::ostream& out, std::ostream& err, std::size_t tasks, std::uint64_t size, std::uint64_t start) {
    out << "Linear scaling: the serial model on " << tasks
        << " tasks at three sizes; the time per number should stay the same\n";
    double first_seconds = 0;
    std::uint64_t first_size = 0;
    int status = 0;
    for (std::uint64_t s : {std::max<std::uint64_t>(size / 4, 1), std::max<std::uint64_t>(size / 2, 1), size}) {
        const auto work = make_tasks(start, tasks, s);
        const auto reference = sieve_reference(work);  // set-up: not timed
        const tour::Clock::time_point clock_start = tour::Clock::now();
        const auto results = run_serial(work);
        const double seconds = tour::seconds_since(clock_start);
        if (first_size == 0) {
            first_seconds = seconds;
            first_size = s;
        }
        const bool ok = results == reference;
        if (!ok) status = 1;
        const double numbers = static_cast<double>(s) * static_cast<double>(tasks);
        out << "  --size " << std::setw(11) << tour::with_thousands(s) << ": " << fixed(seconds, 3) << " seconds, "
            << fixed(seconds / numbers * 1e9, 1) << " ns per number; size x"
            << fixed(static_cast<double>(s) / static_cast<double>(first_size), 2) << ", time x"
            << fixed(first_seconds > 0 ? seconds / first_seconds : 0, 2) << ", checksum " << hex(run_checksum(results))
            << (ok ? "" : " DIFFERS from the reference") << '\n'
            << std::flush;
        if (!ok) err << "--scaling: size " << s << ": the serial model differs from the reference\n";
    }
    return status;
}

}  // namespace cpu
