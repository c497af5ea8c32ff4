#!/usr/bin/env bash
# Runs benchmarks/NAME.py inside the bench against the test site and prints its result.
#
#   ./scripts/benchmark.sh NAME [args]
#
# Each benchmark creates the data it needs (with progress bars) and prints one machine-readable JSON
# object as its last line.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

name=${1:-}
if [ -z "$name" ] || [ ! -f "$SP_ROOT/benchmarks/$name.py" ]; then
	echo "usage: $0 NAME [args]   where NAME is one of:" >&2
	ls "$SP_ROOT/benchmarks" | sed -n 's/\.py$//p' | grep -v '^_' | sed 's/^/  /' >&2
	exit 2
fi
shift

[ -x "$BENCH_DIR/env/bin/python" ] || die "no bench at $BENCH_DIR: run ./scripts/setup.sh --no-start first"
sync_app
ensure_bench_redis
ensure_site "$TEST_SITE"
migrate_if_changed "$TEST_SITE"

as_bench env SUPPORT_PLUS_TEST_SITE="$TEST_SITE" SUPPORT_PLUS_SITES_PATH="$BENCH_DIR/sites" \
	sh -c 'cd apps/support_plus && exec ../../env/bin/python -m benchmarks._run "$@"' benchmark "$name" "$@"
