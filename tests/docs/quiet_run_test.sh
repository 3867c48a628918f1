#!/usr/bin/env bash
# tools/quiet-run runs its command and returns the command's exit status (also when it gives up
# waiting on a busy machine), and rejects bad usage with exit 2. No timing is asserted.
quiet_run=$1
failures=0
check() {  # check WHAT EXPECTED_STATUS COMMAND...
    local what=$1 expected=$2
    shift 2
    "$@" >/dev/null 2>&1
    local status=$?
    if [ "$status" -ne "$expected" ]; then
        echo "FAIL: $what: exit $status, expected $expected"
        failures=$((failures + 1))
    fi
}
check "the command's status, quiet or not (gives up after 1 s)" 7 "$quiet_run" --for 1 --max-wait 1 -- sh -c 'exit 7'
# --busy 100: every second counts as quiet, so it runs after one sample instead of giving up.
msg=$("$quiet_run" --busy 100 --for 1 --max-wait 30 true 2>&1 >/dev/null)
case "$msg" in "quiet-run: quiet for 1 s"*) ;; *) echo "FAIL: --busy 100 did not count as quiet: '$msg'"; failures=$((failures + 1)) ;; esac
check "no command" 2 "$quiet_run"
check "a value that is not a number" 2 "$quiet_run" --busy ten true
check "--busy out of range" 2 "$quiet_run" --busy 0 true
check "an unknown option" 2 "$quiet_run" --fast true
check "--help" 0 "$quiet_run" --help
out=$("$quiet_run" --for 1 --max-wait 1 -- echo hello 2>/dev/null)
[ "$out" = hello ] || { echo "FAIL: the command's stdout is changed: '$out'"; failures=$((failures + 1)); }
msg=$("$quiet_run" --for 1 --max-wait 1 -- true 2>&1 >/dev/null)
case "$msg" in quiet-run:*) ;; *) echo "FAIL: no message on stderr: '$msg'"; failures=$((failures + 1)) ;; esac
[ "$failures" -eq 0 ] && echo ok
exit $((failures > 0))
