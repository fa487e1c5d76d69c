#!/usr/bin/env bash
# The README's test command, with a one-line summary at the end for CI.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test EventSourcedDisclosure.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# "Passed!  - Failed: 0, Passed: 23, ..." / "Failed!  - Failed: 1, Passed: 22, ..." per test assembly.
read -r passed failed < <(grep -E '^(Passed|Failed)! +- +Failed:' "$log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' |
  awk '{p+=$1; f+=$2} END {print p+0, f+0}')
rm -f "$log"
# A build or runner failure produces no summary: count it as a failure, never as green.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
