// The check for exercise 2.5: results handed from one thread to another arrive whole, and take()
// waits for put() instead of returning early. Every wait is bounded (tour_check).
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "exercise_check.hpp"
#include "mailbox.hpp"

namespace {

using namespace std::chrono_literals;

tour::FetchResult page(int i) {
    tour::FetchResult result;
    result.url = "http://a.test/page/" + std::to_string(i) + std::string(200, 'x');  // not a short string
    result.http_status = 200;
    result.bytes = 1000 + static_cast<std::uint64_t>(i);
    result.worker = i;
    return result;
}

}  // namespace

TEST_CASE("take() waits for a put() that comes 100 ms later, and returns that result") {
    INFO("take() must wait until put() has published its result, then return that result, whole");
    exercise::Mailbox mailbox;
    auto taken = tour_check::start([&mailbox] { return mailbox.take(); });
    std::this_thread::sleep_for(100ms);
    mailbox.put(page(7));
    const tour::FetchResult got =
        taken.finish("take() did not return after put(): does put() notify, and does take() wait for true?");
    CHECK(got.url == page(7).url);
    CHECK(got.bytes == 1007);
    CHECK(got.http_status == 200);
}

TEST_CASE("200 hand-overs between two threads: every result arrives whole, none early") {
    constexpr int count = 200;
    std::vector<std::unique_ptr<exercise::Mailbox>> boxes;
    for (int i = 0; i < count; ++i) boxes.push_back(std::make_unique<exercise::Mailbox>());
    auto received = tour_check::start([&boxes] {
        std::vector<tour::FetchResult> got;
        for (auto& box : boxes) got.push_back(box->take());
        return got;
    });
    {
        std::jthread producer([&boxes] {
            for (int i = 0; i < count; ++i) boxes[static_cast<std::size_t>(i)]->put(page(i));
        });
    }
    const auto got = received.finish("the consumer did not receive 200 results: does take() return once put() was called?");
    REQUIRE(got.size() == static_cast<std::size_t>(count));
    int whole = 0;
    for (int i = 0; i < count; ++i) {
        const auto& result = got[static_cast<std::size_t>(i)];
        if (result.url == page(i).url && result.bytes == page(i).bytes && result.worker == i) ++whole;
    }
    INFO("the first result received: url ", got[0].url, ", bytes ", got[0].bytes);
    CHECK(whole == count);
}
