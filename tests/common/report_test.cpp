#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/report.hpp"
#include "common/url_list.hpp"

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
    CHECK(tour::exit_status(report, 3) == 1);
    report.results.pop_back();
    CHECK(tour::exit_status(report, 2) == 0);
    CHECK(tour::exit_status(tour::RunReport{}, 0) == 0);
}

TEST_CASE("a model that returns fewer results than URLs is a failure, said on stderr") {
    tour::RunReport report;
    report.model = "Broken";
    report.results = {result("http://a/", 1000)};
    std::ostringstream err;
    auto* old = std::cerr.rdbuf(err.rdbuf());
    const int status = tour::exit_status(report, 2);
    std::cerr.rdbuf(old);
    CHECK(status == 1);
    CHECK(err.str() == "Broken: the model returned 1 results for 2 URLs\n");
}

TEST_CASE("write_json_file replaces the file whole, or leaves the old one untouched") {
    const auto dir = std::filesystem::temp_directory_path() / ("tour-report-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "out.json";
    tour::write_json_file(path, nlohmann::json{{"first", 1}});
    tour::write_json_file(path, nlohmann::json{{"second", 2}});
    CHECK(nlohmann::json::parse(std::ifstream(path)) == nlohmann::json{{"second", 2}});
    // A write that fails (here: a file-size limit of 8 bytes, so the temporary file's write gets
    // EFBIG) leaves the old file as it was, and no temporary file behind.
    rlimit old_limit{};
    ::getrlimit(RLIMIT_FSIZE, &old_limit);
    rlimit small = old_limit;
    small.rlim_cur = 8;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
    ::setrlimit(RLIMIT_FSIZE, &small);
    CHECK_THROWS_AS(tour::write_json_file(path, nlohmann::json{{"third", std::string(100, '3')}}), tour::InputError);
    ::setrlimit(RLIMIT_FSIZE, &old_limit);
    std::signal(SIGXFSZ, old_handler);
    CHECK(nlohmann::json::parse(std::ifstream(path)) == nlohmann::json{{"second", 2}});
    // A directory that does not exist: an InputError naming the path, and nothing left behind.
    CHECK_THROWS_AS(tour::write_json_file(dir / "missing" / "x.json", nlohmann::json{}), tour::InputError);
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) files += entry.is_regular_file() ? 1 : 0;
    CHECK(files == 1);  // no temporary file left over
    std::filesystem::remove_all(dir);
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

TEST_CASE("a URL that is not UTF-8 still gives valid JSON: replaced in `url`, its bytes kept escaped in `url_bytes`") {
    tour::RunReport report;
    report.model = "Serial";
    report.results = {result("http://a/?q=\xff\xfe", 1, "HTTP status 400 for \xff"), result("http://b/", 2)};
    const auto dir = std::filesystem::temp_directory_path() / ("tour-report-utf8-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / "out.json";
    std::ofstream(path) << "{\"old\": true}\n";
    tour::write_json(path, report);  // threw "invalid UTF-8 byte" and left the old file empty
    const auto doc = nlohmann::json::parse(std::ifstream(path));
    CHECK(doc["results"][0]["url"] == "http://a/?q=\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD twice
    CHECK(doc["results"][0]["url_bytes"] == "http://a/?q=\\xff\\xfe");
    CHECK(doc["results"][0]["error"] == "HTTP status 400 for \xEF\xBF\xBD");
    CHECK_FALSE(doc["results"][1].contains("url_bytes"));  // only where the URL needed it
    std::filesystem::remove_all(dir);
}

TEST_CASE("the failure list is headed by the model's name, and hostile URLs are escaped") {
    tour::RunReport report;
    report.model = "Threads";
    report.results = {result("http://a/\x1b[2J", 0, "curl error 7"), result("http://b/", 5)};
    std::ostringstream out, err;
    tour::print_summary(out, err, report);
    CHECK(err.str() == "Threads: 1 URL failed:\n  http://a/\\x1b[2J: curl error 7\n");
}
