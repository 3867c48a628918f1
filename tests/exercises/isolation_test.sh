#!/usr/bin/env bash
# isolation_test.sh SOURCE_DIR: a learner's broken exercise breaks nothing else.
#
# In a copy of SOURCE_DIR (never the tree itself):
#  1. plant a syntax error in chapter 2's job_queue exercise, and solve chapter 1's slowest
#     (with an unused variable: its warning must be shown);
#  2. no exercise is part of `all` or of `programs` (what ./tour.sh run builds);
#  3. `./tour.sh check ch01 slowest` builds and passes: another chapter is unaffected;
#  4. `./tour.sh check ch02` fails, names the planted error's file:line, still runs the
#     chapter's other checks, and ends with the first exercise not solved: "next: ch01 retry".
set -euo pipefail
src=$(cd "$1" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tour-isolation.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "isolation_test: FAILED: $*" >&2; exit 1; }

# The tour without its builds and history: what a fresh clone has, plus any uncommitted work.
tar -C "$src" --exclude=./.git --exclude='./build' --exclude='./build-*' --exclude=./.cache -cf - . | tar -C "$tmp" -xf -
cd "$tmp"

broken=02_threads/exercises/job_queue.cpp
line=$(grep -n '^namespace exercise {' "$broken" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || fail "no 'namespace exercise {' line in $broken"
line=$((line + 1))
sed -i "${line}i this line is not C++;" "$broken"
cp 01_serial/solutions/slowest.cpp 01_serial/exercises/slowest.cpp
# ...with a warning in it: the learner sees it, although the exercise builds and passes.
sed -i 's/^namespace exercise {$/namespace exercise {\nstatic int never_used_here;/' 01_serial/exercises/slowest.cpp
grep -q never_used_here 01_serial/exercises/slowest.cpp || fail "could not plant a warning in slowest.cpp"

# The default preset's build/, but at -O0 without debug info: the same targets, built faster.
# (tour.sh check configures build/ only when it is not configured yet.)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 >/dev/null

for target in all programs; do
  in_it=$(ninja -C build -t commands "$target" | grep -c 'exercise_\|solution_' || true)
  [ "$in_it" -eq 0 ] || fail "building '$target' would compile $in_it exercise or solution files"
done
echo "isolation_test: no exercise is part of 'all' or 'programs'"

set +e
out1=$(./tour.sh check ch01 slowest 2>&1)
rc1=$?
out2=$(./tour.sh check ch02 2>&1)
rc2=$?
set -e

[ "$rc1" -eq 0 ] || { echo "$out1" >&2; fail "./tour.sh check ch01 slowest exited $rc1 with ch02 broken"; }
grep -q 'ch01 slowest: solved' <<<"$out1" || { echo "$out1" >&2; fail "ch01 slowest not reported solved"; }
grep -q "^01_serial/exercises/slowest.cpp:[0-9]*:[0-9]*: warning: .*never_used_here" <<<"$out1" ||
  { echo "$out1" >&2; fail "the warning in the learner's slowest.cpp was not shown"; }
echo "isolation_test: ch01's check builds and passes while ch02 has a syntax error"

[ "$rc2" -ne 0 ] || { echo "$out2" >&2; fail "./tour.sh check ch02 succeeded with a syntax error planted"; }
grep -q "^$broken:$line:[0-9]*: error: " <<<"$out2" ||
  { echo "$out2" >&2; fail "./tour.sh check ch02 did not name $broken:$line"; }
grep -q 'ch02 job_queue: does not compile' <<<"$out2" || { echo "$out2" >&2; fail "job_queue not reported broken"; }
for other in tally host_limit; do
  grep -q "ch02 $other: not solved yet" <<<"$out2" || { echo "$out2" >&2; fail "ch02 $other's check did not run"; }
done
grep -q '^next: ch01 retry' <<<"$out2" || { echo "$out2" >&2; fail "check did not end with 'next: ch01 retry'"; }
echo "isolation_test: ./tour.sh check ch02 names $broken:$line and still runs tally and host_limit"
