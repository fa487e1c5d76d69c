#!/usr/bin/env bash
# The benchmarks, on demand (never part of the test run): a throwaway PostgreSQL with production
# durability, every figure beside the ceiling PostgreSQL reaches in the same run. Writes
# bench-results.json and bench-results.md here. --quick: a tenth of the data (under 3 minutes on 2 cores).
# Exit 1 when a target is not met.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/EventSourcedDisclosure.Benchmarks -c Release -v quiet -nologo
exec dotnet tests/EventSourcedDisclosure.Benchmarks/bin/Release/net10.0/EventSourcedDisclosure.Benchmarks.dll --out . "$@"
