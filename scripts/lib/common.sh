# shellcheck shell=bash
# Shared settings and helpers for scripts/setup.sh, scripts/test.sh and scripts/benchmark.sh.
# Sourced, never run.

SP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Machine-local defaults (e.g. FRAPPE_REPO for a machine without access to the upstream).
SP_DEFAULTS_FILE=${SUPPORT_PLUS_DEFAULTS:-/etc/default/support-plus}
if [ -r "$SP_DEFAULTS_FILE" ]; then
	# shellcheck disable=SC1090
	. "$SP_DEFAULTS_FILE"
fi

if [ "$(id -u)" = 0 ]; then
	BENCH_USER=${SUPPORT_PLUS_USER:-frappe}
else
	BENCH_USER=$(id -un)
fi
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6 || true)
BENCH_HOME=${BENCH_HOME:-/home/$BENCH_USER}
BENCH_DIR=${SUPPORT_PLUS_BENCH:-$BENCH_HOME/support-plus-bench}
# Per-user state of the scripts: the bench CLI's virtualenv, the database admin password.
SP_STATE=$BENCH_HOME/.support-plus
SITE=${SUPPORT_PLUS_SITE:-support.localhost}
TEST_SITE=${SUPPORT_PLUS_TEST_SITE:-test.localhost}
ADMIN_PASSWORD=${SUPPORT_PLUS_ADMIN_PASSWORD:-admin}
DB_ADMIN_USER=support_plus_admin

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
	exit 1
}

# Run a command as root (directly, or through sudo for a sudo user).
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Run a command as the bench user, in the bench folder when it exists, with the environment bench needs.
as_bench() {
	local dir=$BENCH_DIR
	[ -d "$dir" ] || dir=$BENCH_HOME
	local -a envs=(
		"HOME=$BENCH_HOME"
		"USER=$BENCH_USER"
		"PATH=$SP_STATE/venv/bin:$BENCH_HOME/.local/bin:/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
		"UV_SYSTEM_CERTS=1"
		"PIP_CONSTRAINT=$SP_STATE/constraints.txt"
		"UV_CONSTRAINT=$SP_STATE/constraints.txt"
		"PYTHONUNBUFFERED=1"
		"LANG=C.UTF-8"
		"LC_ALL=C.UTF-8"
		"CI=${CI:-}"
		"TERM=${TERM:-dumb}"
	)
	if [ "$(id -un)" = "$BENCH_USER" ]; then
		(cd "$dir" && env "${envs[@]}" "$@")
	else
		(cd "$dir" && runuser -u "$BENCH_USER" -- env "${envs[@]}" "$@")
	fi
}

bench_cmd() { as_bench bench "$@"; }

# Frappe redraws its progress bars with carriage returns; in a log they become one endless line.
drop_progress_bars() { tr '\r' '\n' | sed -E '/\] *[0-9]+%$/d; /^$/d'; }

site_exists() { [ -f "$BENCH_DIR/sites/$1/site_config.json" ]; }

# Copy this checkout into the bench as apps/support_plus. A copy (not a symlink) works when the checkout
# is in a folder the bench user cannot read (e.g. /root); every script syncs it again, so the bench
# always runs what the checkout holds.
sync_app() {
	local dest=$BENCH_DIR/apps/support_plus
	as_root mkdir -p "$dest"
	as_root rsync -a --delete \
		--exclude '.git/' --exclude '__pycache__/' --exclude '*.pyc' --exclude '.pytest_cache/' \
		--exclude '*.egg-info/' --exclude 'node_modules/' --exclude '/artifacts/' \
		"$SP_ROOT/" "$dest/"
	as_root chown -R "$BENCH_USER:" "$dest"
}

# Start the bench's own Redis servers (cache and queue) when they do not answer.
ensure_bench_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$BENCH_DIR/config/$conf.conf" ] || continue
		port=$(awk '$1 == "port" {print $2}' "$BENCH_DIR/config/$conf.conf")
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			log "Starting $conf on port $port"
			as_bench redis-server "$BENCH_DIR/config/$conf.conf" --daemonize yes \
				--logfile "$BENCH_DIR/logs/$conf.log" >/dev/null
			local i
			for i in $(seq 1 50); do
				redis-cli -p "$port" ping >/dev/null 2>&1 && break
				sleep 0.1
			done
		fi
	done
}

# Install the app into a site if the site does not have it yet (and then set APPS_INSTALLED_NOW=1).
ensure_app_installed() {
	local site=$1 app=$2
	# The installed_apps default is what Frappe loads hooks from (list-apps shows a table that lags).
	bench_cmd --site "$site" execute frappe.get_installed_apps 2>/dev/null | grep -qF "\"$app\"" && return 0
	log "Installing $app on $site"
	bench_cmd --site "$site" install-app "$app" 2>&1 | drop_progress_bars
	APPS_INSTALLED_NOW=1
}

# Create a site with ERPNext and support_plus when it does not exist.
ensure_site() {
	local site=$1
	if ! site_exists "$site"; then
		log "Creating site $site"
		bench_cmd new-site "$site" --force --no-mariadb-socket --db-root-username "$DB_ADMIN_USER" \
			--admin-password "$ADMIN_PASSWORD"
	fi
	APPS_INSTALLED_NOW=0
	ensure_app_installed "$site" erpnext
	ensure_app_installed "$site" support_plus
	# Just installed: the site runs the current code, no migrate needed.
	[ "$APPS_INSTALLED_NOW" = 0 ] || write_code_stamp "$site"
}

# A fingerprint of the code a site runs: frappe's and erpnext's commits and the app's files (tests aside).
code_stamp() {
	as_bench sh -c '
		cd apps && {
			git -C frappe rev-parse HEAD
			git -C erpnext rev-parse HEAD
			find support_plus/support_plus -type f \( -name "*.py" -o -name "*.json" -o -name "*.txt" \) -not -path "*/tests/*" \
				-print0 | sort -z | xargs -0 sha1sum
		} | sha1sum | cut -d" " -f1'
}

write_code_stamp() { as_bench sh -c "echo '$(code_stamp)' > 'sites/$1/.support_plus_code_hash'"; }

# Migrate a site only when the code it runs changed since its last migrate or install: `bench migrate`
# costs tens of seconds even when nothing changed.
migrate_if_changed() {
	local site=$1 stampfile=$BENCH_DIR/sites/$1/.support_plus_code_hash
	if [ "${SUPPORT_PLUS_FORCE_MIGRATE:-}" = 1 ] || [ ! -f "$stampfile" ] || [ "$(cat "$stampfile")" != "$(code_stamp)" ]; then
		log "Migrating $site"
		bench_cmd --site "$site" migrate 2>&1 | drop_progress_bars
		write_code_stamp "$site"
	else
		log "$site is up to date with the code (no migrate needed)"
	fi
}
