// Chapter 5's parallel-algorithms model (std::execution::par on oneTBB): on a machine with
// libtbb-dev installed (./tour.sh installs it) the model must be in the build and give the
// reference results. TBB_INSTALLED comes from the test's own look-up (tests/cpu_bound/CMakeLists.txt).
#include <doctest/doctest.h>

#include <string>

#include "cpu_models.hpp"
#include "run_program.hpp"
#include "workload.hpp"

using tour_test::contains;
using tour_test::run_program;

TEST_CASE("the par model is built wherever TBB is installed (never silently skipped)") {
    constexpr bool tbb_installed = TBB_INSTALLED != 0;
    CAPTURE(tbb_installed);
    CHECK(cpu::par_available() == tbb_installed);
}

TEST_CASE("the par model gives the reference results, in the library and in the program") {
    if (!cpu::par_available()) {
        MESSAGE("no std::execution::par in this build (no libtbb-dev, or TSan): nothing to run");
        return;
    }
    const auto tasks = cpu::make_tasks(1'000'000'000, 9, 2'000);  // more tasks than cores
    CHECK(cpu::run_par(tasks) == cpu::sieve_reference(tasks));

    const auto run = run_program(CPU_BOUND_PROGRAM, {"--model", "par", "--tasks", "9", "--size", "2000"});
    CAPTURE(run.out);
    CAPTURE(run.err);
    CHECK(run.exit_code == 0);
    CHECK(contains(run.out, "Parallel algorithm computation of 9 tasks - Duration: "));
    CHECK(contains(run.out, "(matches the reference)"));
    CHECK(!contains(run.out, "DIFFERS"));
}
