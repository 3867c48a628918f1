// The bridge between Asio and libcurl's multi_socket interface. Read it top to bottom: the
// state first (who owns what, and why), then curl's two callbacks, then the handlers Asio runs,
// then one request from start to finish, then the teardown.
//
// curl shipped an Asio example (asiohiper.cpp) until 2020 and removed it because people copied
// its bugs into production. The rules this file follows, each where it matters:
//  1. curl owns every socket. Asio only watches: a stream_descriptor per socket, async_wait
//     for readiness, and release() (never close()) when curl says CURL_POLL_REMOVE, which
//     means "no active transfer uses this socket now", not "closed": a keep-alive connection
//     stays open in curl's cache and comes back, same fd, for a later request.
//  2. curl's callbacks only record what curl wants. They never call back into curl
//     (curl_multi_socket_action is not re-entrant); the handlers Asio runs later do that.
//  3. One steady_timer, re-armed (never repeating) each time curl asks for a new timeout; a
//     timeout of 0 ms ("now") is a post() to the loop, which needs no timer.
//  4. A handler may run after its socket was removed, or after the client was destroyed: it
//     holds the state it needs (shared_ptr/weak_ptr) and checks before touching anything.
//  5. Teardown order: easy handles out of the multi before curl_easy_cleanup; callbacks cleared
//     before curl_multi_cleanup, so that nothing curl does while it closes its cached
//     connections can reach an object that is being destroyed.
#include "async_http_client.hpp"

#include <chrono>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include <asio/cancellation_state.hpp>
#include <asio/post.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace event_loop {

using tour::Clock;
using tour::FetchOptions;
using tour::FetchResult;
using tour::finish_transfer;
using tour::prepare_transfer;
using tour::TransferState;

namespace {

void check(CURLMcode code, const char* what) {
    if (code != CURLM_OK) throw std::runtime_error(std::string(what) + " failed: " + curl_multi_strerror(code));
}

}  // namespace

// [docs:state]
// One socket curl asked us to watch. Shared between the sockets map and every pending
// async_wait handler, so a handler that completes after CURL_POLL_REMOVE still finds a live
// object (with `removed` set) instead of freed memory. Never looked up by fd from a handler:
// by then the number may belong to another watch, either the same connection added again for
// its next request (keep-alive) or a new socket that got the number of one curl closed.
struct SocketWatch {
    SocketWatch(asio::io_context& io, curl_socket_t fd) : descriptor(io, fd), fd(fd) {}
    asio::posix::stream_descriptor descriptor;  // registers fd with the reactor; never closes it
    curl_socket_t fd;
    int wanted = CURL_POLL_NONE;  // what curl asked for last: CURL_POLL_IN, _OUT or _INOUT
    bool reading = false;         // an async_wait(wait_read) is pending
    bool writing = false;         // an async_wait(wait_write) is pending
    bool removed = false;         // curl is done with this socket: pending waits must do nothing
};

// Everything the multi interface needs. Owned by shared_ptr: the client holds one, and so does
// every request in flight, so the multi handle outlives every easy handle in it. Handlers hold
// only a weak_ptr: a timer that fires after the last owner is gone finds nothing and stops.
// Touched only by the thread running `io`: no locks.
struct AsyncHttpClient::Core : std::enable_shared_from_this<Core> {
    Core(asio::io_context& io, FetchOptions options, Connections connections);
    ~Core();

    asio::io_context& io;
    const FetchOptions options;
    const Connections connections;
    CURLM* multi = nullptr;
    asio::steady_timer timer;              // curl's single timeout (rule 3)
    std::uint64_t timer_generation = 0;    // bumped on every re-arm: older waits are stale
    std::unordered_map<curl_socket_t, std::shared_ptr<SocketWatch>> sockets;  // curl's open sockets
    std::size_t in_flight = 0;

    static int on_socket(CURL* easy, curl_socket_t fd, int what, void* userp, void* socketp);
    static int on_timer(CURLM* multi, long timeout_ms, void* userp);
    void arm(const std::shared_ptr<SocketWatch>& watch);
    static void on_ready(const std::weak_ptr<Core>& weak, const std::shared_ptr<SocketWatch>& watch,
                         asio::error_code ec, int direction);
    void act(curl_socket_t fd, int events);
    void collect_finished();
};

// One request. Lives in the frame of the coroutine that awaits it, so the TransferState that
// curl's write callback fills in lives exactly as long as the transfer (rule 5).
struct AsyncHttpClient::Transfer {
    explicit Transfer(std::shared_ptr<Core> owner)
        : core(std::move(owner)), easy(curl_easy_init()),
          finished(core->io, asio::steady_timer::time_point::max()) {
        if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
    }
    ~Transfer() {
        remove();                 // the coroutine was destroyed mid-transfer (its io_context went first)
        curl_easy_cleanup(easy);  // after remove_handle, never before
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    // Take the handle out of the multi (once). Mid-transfer, curl closes its connection here: a
    // half-read response leaves it unusable. curl calls on_socket (CURL_POLL_REMOVE) from inside
    // this call, which is allowed: it is our call into curl, from a handler, not the reverse.
    void remove() {
        if (!in_multi) return;
        curl_multi_remove_handle(core->multi, easy);
        in_multi = false;
        --core->in_flight;
    }

    void finish(CURLcode result) {  // curl reported CURLMSG_DONE
        remove();
        code = result;
        done = true;
        finished.cancel();  // wakes the coroutine (posted: it does not run inside this call)
    }

    std::shared_ptr<Core> core;
    CURL* easy;
    TransferState state;
    asio::steady_timer finished;  // never expires: cancel() is the "done" signal
    bool in_multi = false;
    bool done = false;
    CURLcode code = CURLE_OK;
};
// [/docs:state]

AsyncHttpClient::Core::Core(asio::io_context& context, FetchOptions fetch_options, Connections reuse)
    : io(context), options(std::move(fetch_options)), connections(reuse), multi(curl_multi_init()), timer(context) {
    if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    // [docs:multi_options]
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Core::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Core::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    // Connection limits, chosen on purpose. sitesim is ONE host, and a browser-like per-host
    // limit (6) would turn "80 requests at once" into 6. 0 means no limit: a request that finds
    // no idle connection opens a new one at once. The cache of idle connections
    // (CURLMOPT_MAXCONNECTS) is left at curl's default, which grows to 4x the transfers added,
    // so connections survive between requests for keep-alive. --workers N is the cap instead.
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    // [/docs:multi_options]
}

// [docs:socket_callback]
// curl: "watch socket `fd` for `what`" (or stop watching it). Only bookkeeping and async_wait
// here: calling curl from inside its own callback is not allowed (rule 2). No exception may
// cross curl's C code, so failures become -1, which makes socket_action report an error.
int AsyncHttpClient::Core::on_socket(CURL*, curl_socket_t fd, int what, void* userp, void*) {
    Core& core = *static_cast<Core*>(userp);
    try {
        const auto found = core.sockets.find(fd);
        if (what == CURL_POLL_REMOVE) {
            if (found != core.sockets.end()) {
                found->second->removed = true;
                // release(), not close(): the fd is curl's. REMOVE only says that no transfer
                // uses it now; curl may keep the connection open for reuse and add the same fd
                // again later, or close it itself. release() deregisters it from epoll and
                // cancels the pending waits, and leaves it open.
                found->second->descriptor.release();
                core.sockets.erase(found);
            }
            return 0;
        }
        std::shared_ptr<SocketWatch> watch =
            found != core.sockets.end() ? found->second : std::make_shared<SocketWatch>(core.io, fd);
        core.sockets[fd] = watch;
        watch->wanted = what;
        core.arm(watch);
        return 0;
    } catch (...) {
        return -1;
    }
}

// Start an async_wait for each direction curl wants and nobody is waiting for yet.
void AsyncHttpClient::Core::arm(const std::shared_ptr<SocketWatch>& watch) {
    using asio::posix::stream_descriptor;
    if ((watch->wanted & CURL_POLL_IN) != 0 && !watch->reading) {
        watch->reading = true;
        watch->descriptor.async_wait(stream_descriptor::wait_read,
                                     [weak = weak_from_this(), watch](asio::error_code ec) {
                                         on_ready(weak, watch, ec, CURL_CSELECT_IN);
                                     });
    }
    if ((watch->wanted & CURL_POLL_OUT) != 0 && !watch->writing) {
        watch->writing = true;
        watch->descriptor.async_wait(stream_descriptor::wait_write,
                                     [weak = weak_from_this(), watch](asio::error_code ec) {
                                         on_ready(weak, watch, ec, CURL_CSELECT_OUT);
                                     });
    }
}
// [/docs:socket_callback]

// [docs:on_ready]
// Asio: the socket is readable (or writable). Runs from io.run(), never inside curl, so it may
// call curl_multi_socket_action.
void AsyncHttpClient::Core::on_ready(const std::weak_ptr<Core>& weak, const std::shared_ptr<SocketWatch>& watch,
                                     asio::error_code ec, int direction) {
    (direction == CURL_CSELECT_IN ? watch->reading : watch->writing) = false;
    // Removed: curl no longer wants events for this socket (it may be idle in curl's cache, or
    // closed and its number reused). The watch is still valid memory (we hold a shared_ptr),
    // but there is nothing left to do.
    if (watch->removed || ec == asio::error::operation_aborted) return;
    const std::shared_ptr<Core> core = weak.lock();
    if (!core) return;  // the client is gone
    const int poll_bit = direction == CURL_CSELECT_IN ? CURL_POLL_IN : CURL_POLL_OUT;
    if ((watch->wanted & poll_bit) == 0) return;  // curl stopped asking for this direction
    core->act(watch->fd, ec ? CURL_CSELECT_ERR : direction);
    if (!watch->removed) core->arm(watch);  // curl still wants it: wait again
}
// [/docs:on_ready]

// [docs:timer_callback]
// curl: "call curl_multi_socket_action(CURL_SOCKET_TIMEOUT) in `timeout_ms`" (0: as soon as
// possible; -1: never mind). One timer, re-armed each time, never repeating (rule 3); even a
// 0 ms timeout goes through the loop instead of calling curl from here (rule 2).
int AsyncHttpClient::Core::on_timer(CURLM*, long timeout_ms, void* userp) {
    Core& core = *static_cast<Core*>(userp);
    try {
        // Each call replaces the one before: a wait from an older call must do nothing. A wait
        // that had already expired cannot be cancelled (it runs with success), so the
        // generation, not cancel(), is what makes it stale.
        ++core.timer_generation;
        if (timeout_ms < 0) {
            core.timer.cancel();
            return 0;
        }
        auto expired = [weak = core.weak_from_this(), generation = core.timer_generation] {
            const std::shared_ptr<Core> alive = weak.lock();
            if (!alive || generation != alive->timer_generation) return;  // the client is gone, or re-armed
            alive->act(CURL_SOCKET_TIMEOUT, 0);
        };
        if (timeout_ms == 0) {
            // "As soon as possible" needs no clock: post() queues `expired` behind what is
            // ready. curl asks this at least once per transfer added, and arming the timer for
            // "now" would reprogram the kernel's timer each time (timerfd_settime), a system
            // call that is expensive on a VM (docs/deep/04-10000-transfers.md, "What fixed it").
            asio::post(core.io, std::move(expired));
            return 0;
        }
        core.timer.expires_after(std::chrono::milliseconds(timeout_ms));  // cancels the old wait
        core.timer.async_wait([expired = std::move(expired)](asio::error_code ec) {
            if (ec != asio::error::operation_aborted) expired();
        });
        return 0;
    } catch (...) {
        return -1;
    }
}
// [/docs:timer_callback]

// [docs:act]
// Let curl do the I/O for `fd` (or its timeouts), then hand out the transfers that finished.
void AsyncHttpClient::Core::act(curl_socket_t fd, int events) {
    int running = 0;
    check(curl_multi_socket_action(multi, fd, events, &running), "curl_multi_socket_action");
    collect_finished();
}

void AsyncHttpClient::Core::collect_finished() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        // Copy what we need: `message` is invalid once the handle is removed.
        CURL* easy = message->easy_handle;
        const CURLcode result = message->data.result;
        char* pointer = nullptr;  // CURLINFO_PRIVATE: what run_transfer stored with CURLOPT_PRIVATE
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &pointer);
        reinterpret_cast<Transfer*>(pointer)->finish(result);
    }
}
// [/docs:act]

namespace {

// [docs:scale]
// Two options for thousands of transfers at once, each kept because measuring 10,000 said so
// (the figures: docs/deep/04-10000-transfers.md).
void set_scale_options(CURL* easy, Connections connections) {
    // Every transfer in flight holds a receive buffer, 16 KiB by default: 160 MB at 10,000.
    // With 4 KiB curl reads a socket in more, smaller pieces (it loops until the socket is
    // empty): more system calls, but no more wake-ups of the loop.
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 4096L);
    if (connections == Connections::one_per_request) {
        // libcurl (7.88) keeps its connections to a host in one list and walks all of it twice
        // per request: when the request starts (is one idle, to reuse?) and when it is removed
        // (is one connect-only, to close?). With 10,000 connections open that is 10,000 x
        // 10,000 steps. A new connection, closed when done, skips both walks.
        curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
    }
}
// [/docs:scale]

}  // namespace

// [docs:run_transfer]
asio::awaitable<FetchResult> AsyncHttpClient::async_get(std::string url) {
    // Not a coroutine itself: it copies core_ into the coroutine's parameters. A coroutine
    // member function would keep only `this`, which dangles if the client goes first.
    return run_transfer(core_, std::move(url));
}

asio::awaitable<FetchResult> AsyncHttpClient::run_transfer(std::shared_ptr<Core> core, std::string url) {
    FetchResult result;
    result.url = url;
    result.start = Clock::now();
    // Cancelled before it began (a stop that came while the caller was queued): curl never
    // hears of it. Checked here, not left to the co_await below, which would throw instead.
    const asio::cancellation_state cancel = co_await asio::this_coro::cancellation_state;
    if (cancel.cancelled() != asio::cancellation_type::none) {
        result.end = result.start;
        result.error = cancelled_error;
        co_return result;
    }
    Transfer transfer(core);  // in this frame: alive until the coroutine ends
    try {
        prepare_transfer(transfer.easy, url, core->options, transfer.state);  // as HttpSession::get
        set_scale_options(transfer.easy, core->connections);  // thousands at once: above
        curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, static_cast<void*>(&transfer));  // collect_finished finds us
        check(curl_multi_add_handle(core->multi, transfer.easy), "curl_multi_add_handle");
        transfer.in_multi = true;
        ++core->in_flight;
        // Suspend until Transfer::finish cancels the timer. The loop runs other coroutines and
        // other transfers meanwhile: this is the cooperative switch. This wait is also what a
        // cancellation of the caller interrupts: it ends at once, with operation_aborted.
        asio::error_code ignored;
        co_await transfer.finished.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        result.end = Clock::now();
        if (transfer.done) {
            finish_transfer(transfer.easy, transfer.code, transfer.state, result);
        } else {  // cancelled: out of curl now, so that the caller sees it gone
            transfer.remove();
            result.bytes = transfer.state.bytes;  // what had arrived: a cancelled page is not a page
            result.error = cancelled_error;
        }
    } catch (const std::runtime_error& e) {
        result.end = Clock::now();
        result.error = e.what();
    }
    co_return result;
}
// [/docs:run_transfer]

// [docs:teardown]
AsyncHttpClient::Core::~Core() {
    // No easy handle is left in the multi: each Transfer holds a shared_ptr to this Core.
    // 1. Silence curl. curl_multi_cleanup closes the cached connections; libcurl 7.88 calls
    //    the socket callback there only for a socket still being watched (normally none: each
    //    got CURL_POLL_REMOVE when its last transfer ended), but its documentation promises
    //    nothing, and a callback now would arm waits for a client nobody will run again.
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, static_cast<curl_socket_callback>(nullptr));
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, static_cast<curl_multi_timer_callback>(nullptr));
    // 2. Stop watching any socket still watched, without closing it (curl closes its sockets
    //    in step 3). Waits still queued see `removed` and return.
    for (auto& [fd, watch] : sockets) {
        watch->removed = true;
        watch->descriptor.release();
    }
    sockets.clear();
    // 3. Now curl may close its connections and free the multi handle.
    curl_multi_cleanup(multi);
}
// [/docs:teardown]

AsyncHttpClient::AsyncHttpClient(asio::io_context& io, FetchOptions options, Connections connections)
    : core_(std::make_shared<Core>(io, std::move(options), connections)) {}

AsyncHttpClient::~AsyncHttpClient() = default;

std::size_t AsyncHttpClient::in_flight() const { return core_->in_flight; }

}  // namespace event_loop
