#include <doctest/doctest.h>

#include <sstream>

#include <nlohmann/json.hpp>

#include "common/report.hpp"

namespace {
tour::FetchResult result(std::string url, std::uint64_t bytes, std::string error = "") {
    tour::FetchResult r;
    r.url = std::move(url);
    r.bytes = bytes;
    r.error = std::move(error);
    r.http_status = r.error.empty() ? 200 : 0;
    return r;
}
}  // namespace

TEST_CASE("the Python demo's two lines") {
    std::ostringstream out;
    tour::print_starting(out, "Serial", 80);
    tour::print_finished(out, "Serial", 80, 13.0234);
    CHECK(out.str() == "Starting Serial download of 80 sites...\nSerial download of 80 sites - Duration: 13.02 seconds\n");
}

TEST_CASE("summary counts and lists every failure, and the exit status follows failures") {
    tour::RunReport report;
    report.model = "Serial";
    report.results = {result("http://a/", 1000), result("http://b/", 2500),
                      result("http://c/", 0, "curl error 56: Connection reset by peer")};
    std::ostringstream out, err;
    tour::print_summary(out, err, report);
    CHECK(out.str() == "2 ok, 1 failed, 3,500 bytes\n");
    CHECK(err.str().find("http://c/: curl error 56: Connection reset by peer") != std::string::npos);
    CHECK(tour::exit_status(report.results) == 1);
    report.results.pop_back();
    CHECK(tour::exit_status(report.results) == 0);
    CHECK(tour::exit_status({}) == 0);
}

TEST_CASE("JSON has one record per URL, totals, and times relative to the run start") {
    tour::RunReport report;
    report.model = "Threads";
    report.workers = 10;
    report.run_start = tour::Clock::now();
    report.seconds = 0.5;
    auto a = result("http://a/", 10);
    a.start = report.run_start + std::chrono::milliseconds(100);
    a.end = report.run_start + std::chrono::milliseconds(350);
    a.worker = 3;
    report.results = {a, result("http://b/", 0, "HTTP status 404")};
    const auto json = tour::to_json(report);
    CHECK(json["model"] == "Threads");
    CHECK(json["workers"] == 10);
    CHECK(json["ok"] == 1);
    CHECK(json["failed"] == 1);
    CHECK(json["bytes"] == 10);
    REQUIRE(json["results"].size() == 2);
    CHECK(json["results"][0]["start_s"].get<double>() == doctest::Approx(0.1));
    CHECK(json["results"][0]["end_s"].get<double>() == doctest::Approx(0.35));
    CHECK(json["results"][0]["worker"] == 3);
    CHECK(json["results"][1]["error"] == "HTTP status 404");
}
