#!/usr/bin/env bash
# Runs the whole pytest suite on the throwaway site test.localhost.
#
#   ./scripts/test.sh                                   the whole suite
#   ./scripts/test.sh support_plus/tests/test_install.py -k uninstall -x
#
# Syncs this checkout into the bench (made by ./scripts/setup.sh), creates test.localhost with ERPNext
# and support_plus when it is missing, migrates it when the code changed, then runs pytest there.
# Arguments go to pytest unchanged; paths are relative to the checkout.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

[ -x "$BENCH_DIR/env/bin/python" ] || die "no bench at $BENCH_DIR: run ./scripts/setup.sh --no-start first"

sync_app
ensure_bench_redis
ensure_site "$TEST_SITE"
# Also when the site was first made by ./scripts/benchmark.sh, which needs no tests allowed.
if ! grep -q '"allow_tests": *true' "$BENCH_DIR/sites/$TEST_SITE/site_config.json"; then
	bench_cmd --site "$TEST_SITE" set-config allow_tests true >/dev/null
fi
migrate_if_changed "$TEST_SITE"

log "Running the test suite on $TEST_SITE"
# pytest runs from the synced copy of the checkout, so the paths a developer passes resolve the same way.
# The database admin account (made by setup.sh) seeds and feeds the replica of the read-replica test.
as_bench env SUPPORT_PLUS_TEST_SITE="$TEST_SITE" SUPPORT_PLUS_SITES_PATH="$BENCH_DIR/sites" \
	SUPPORT_PLUS_ARTIFACTS="$BENCH_DIR/logs/support_plus-test-artifacts" \
	SUPPORT_PLUS_DB_ADMIN_USER="$DB_ADMIN_USER" SUPPORT_PLUS_DB_ADMIN_PASSWORD_FILE="$SP_STATE/db-admin-password" \
	sh -c 'cd apps/support_plus && exec ../../env/bin/python -m pytest "$@"' pytest "$@"
