#!/usr/bin/env bash
# Installs everything support_plus needs on Debian 12, creates the demo site and starts the server.
#
#   ./scripts/setup.sh             install (or update) and start http://localhost:8000
#   ./scripts/setup.sh --no-start  install (or update) only, for scripts and CI
#
# Safe to run again: it reuses what exists, syncs this checkout into the bench and migrates.
# Environment: SUPPORT_PLUS_BENCH, SUPPORT_PLUS_USER, SUPPORT_PLUS_SITE, SUPPORT_PLUS_ADMIN_PASSWORD,
# FRAPPE_REPO, FRAPPE_BRANCH, ERPNEXT_REPO, ERPNEXT_BRANCH, YARN_OFFLINE_MIRROR (see README.md).
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
. "$(dirname "$0")/lib/common.sh"

START=1
for arg in "$@"; do
	case $arg in
	--no-start) START=0 ;;
	-h | --help)
		sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*) die "unknown argument: $arg (try --help)" ;;
	esac
done

FRAPPE_REPO=${FRAPPE_REPO:-https://github.com/frappe/frappe}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
ERPNEXT_REPO=${ERPNEXT_REPO:-https://github.com/frappe/erpnext}
ERPNEXT_BRANCH=${ERPNEXT_BRANCH:-version-15}
YARN_VERSION=1.22.22
SECONDS=0

# A local work tree becomes a file:// URL (bench clones it; it refuses bare repositories).
as_git_url() {
	if [ -d "$1" ]; then
		printf 'file://%s' "$(realpath "$1")"
	else
		printf '%s' "$1"
	fi
}

install_system_packages() {
	local -a wanted=(
		git curl rsync ca-certificates build-essential pkg-config cron
		python3 python3-dev python3-venv python3-pip
		mariadb-server mariadb-client libmariadb-dev redis-server
		libffi-dev libssl-dev fontconfig xfonts-75dpi xfonts-base
		chromium chromium-driver wrk
		dovecot-imapd
	)
	command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
	local -a missing=()
	local pkg
	for pkg in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		log "Installing Debian packages: ${missing[*]}"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
		if [[ " ${missing[*]} " == *" dovecot-imapd "* ]]; then
			# The email tests start their own dovecot on a free loopback port; the system one is not needed.
			as_root service dovecot stop >/dev/null 2>&1 || true
			as_root update-rc.d dovecot disable >/dev/null 2>&1 || true
		fi
	fi
	if [ "$(yarn --version 2>/dev/null || true)" != "$YARN_VERSION" ]; then
		# The registry's latest yarn is 2.x, which bench cannot drive.
		log "Installing yarn $YARN_VERSION"
		as_root npm install -g --silent "yarn@$YARN_VERSION"
	fi
}

mariadb_root() { as_root mariadb -uroot "$@"; }

start_mariadb() {
	log "Starting MariaDB"
	as_root mkdir -p /run/mysqld /var/log/mysql
	as_root chown mysql:mysql /run/mysqld /var/log/mysql
	if ! as_root service mariadb start >/dev/null 2>&1; then
		as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
	fi
	local i
	for i in $(seq 1 60); do
		as_root mariadb-admin ping >/dev/null 2>&1 && break
		sleep 1
	done
	as_root mariadb-admin ping >/dev/null 2>&1 || die "MariaDB did not start (see /var/log/mysql/error.log)"
}

ensure_mariadb() {
	# utf8mb4 with the unicode collation, as Frappe requires; read by mariadbd at every start.
	local confdir=/etc/mysql/mariadb.conf.d
	as_root mkdir -p "$confdir"
	as_root tee "$confdir/99-support-plus.cnf" >/dev/null <<-'EOF'
		# Written by support_plus scripts/setup.sh: Frappe needs utf8mb4 and this collation.
		[mysqld]
		character-set-server = utf8mb4
		collation-server = utf8mb4_unicode_ci
		innodb-file-per-table = 1
		# The default 128 MB pool cannot hold a million tickets' indexes: reports then read from disk.
		innodb-buffer-pool-size = 2G
		# A binary log, so that a replica can follow this server: the replica test starts one on a loopback
		# port (README, "Running at scale"). Mixed format keeps bulk loads small; kept a day at most.
		log-bin = mariadb-bin
		server-id = 1
		binlog-format = MIXED
		binlog-expire-logs-seconds = 86400
		max-binlog-size = 256M

		[mysql]
		default-character-set = utf8mb4
	EOF
	if ! grep -qsE "^\s*!includedir\s+$confdir/?\s*$" /etc/mysql/my.cnf; then
		printf '\n!includedir %s/\n' "$confdir" | as_root tee -a /etc/mysql/my.cnf >/dev/null
	fi

	if as_root mariadb-admin ping >/dev/null 2>&1 && [ "$(mariadb_root -N -e 'SELECT @@log_bin')" = 0 ]; then
		# The binary log cannot be turned on at runtime: once, a server started without it restarts.
		log "Restarting MariaDB with its binary log on"
		as_root mariadb-admin shutdown
		local i
		for i in $(seq 1 60); do
			as_root mariadb-admin ping >/dev/null 2>&1 || break
			sleep 1
		done
	fi
	if ! as_root mariadb-admin ping >/dev/null 2>&1; then
		start_mariadb
	fi
	# A server started before the config was written still has its old settings.
	mariadb_root -e "SET GLOBAL character_set_server = 'utf8mb4'; SET GLOBAL collation_server = 'utf8mb4_unicode_ci';"
	# The buffer pool can grow without a restart (MariaDB 10.2+); never shrink a larger one.
	mariadb_root -e "SET GLOBAL innodb_buffer_pool_size = GREATEST(@@innodb_buffer_pool_size, 2147483648);"

	# A database administrator for bench (new-site, drop-site): root may use socket authentication,
	# which the bench user cannot. Its password lives only in the bench user's files.
	local pwfile=$SP_STATE/db-admin-password password
	if [ -s "$pwfile" ]; then
		password=$(as_root cat "$pwfile")
	else
		password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
		as_root sh -c "umask 077 && printf '%s' '$password' > '$pwfile'"
		as_root chown "$BENCH_USER:" "$pwfile"
	fi
	local host
	for host in localhost 127.0.0.1; do
		mariadb_root -e "CREATE USER IF NOT EXISTS '$DB_ADMIN_USER'@'$host' IDENTIFIED BY '$password';
			ALTER USER '$DB_ADMIN_USER'@'$host' IDENTIFIED BY '$password';
			GRANT ALL PRIVILEGES ON *.* TO '$DB_ADMIN_USER'@'$host' WITH GRANT OPTION;"
	done
	mariadb_root -e "FLUSH PRIVILEGES;"
	DB_ADMIN_PASSWORD=$password
}

ensure_bench_user() {
	if ! id "$BENCH_USER" >/dev/null 2>&1; then
		log "Creating user $BENCH_USER (bench refuses to run as root)"
		as_root useradd --create-home --shell /bin/bash "$BENCH_USER"
		BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
		SP_STATE=$BENCH_HOME/.support-plus
		BENCH_DIR=${SUPPORT_PLUS_BENCH:-$BENCH_HOME/support-plus-bench}
	fi
	as_root mkdir -p "$SP_STATE"
	as_root chown "$BENCH_USER:" "$SP_STATE"
	# The folders above the bench must be traversable for the bench user (e.g. when it lives elsewhere).
	as_root chmod o+x "$BENCH_HOME" 2>/dev/null || true
}

ensure_bench_cli() {
	# Frappe 15 imports pkg_resources, which setuptools 81 removed.
	as_bench sh -c "printf 'setuptools<81\n' > '$SP_STATE/constraints.txt'"
	if ! as_bench sh -c "[ -x '$SP_STATE/venv/bin/bench' ]"; then
		log "Installing frappe-bench"
		as_bench /usr/bin/python3 -m venv "$SP_STATE/venv"
		as_bench "$SP_STATE/venv/bin/pip" install --quiet --upgrade pip
		as_bench "$SP_STATE/venv/bin/pip" install --quiet "frappe-bench>=5.22,<6"
	fi
	local repo
	for repo in "$FRAPPE_REPO" "$ERPNEXT_REPO"; do
		if [ -d "$repo" ]; then
			# Local clones across users: git refuses a repository another user owns unless told it is safe.
			local path
			for path in "$(realpath "$repo")" "$(realpath "$repo")/.git"; do
				as_bench git config --global --get-all safe.directory 2>/dev/null | grep -qxF "$path" ||
					as_bench git config --global --add safe.directory "$path"
			done
			as_bench test -r "$repo/.git/HEAD" || die "the bench user $BENCH_USER cannot read $repo"
		fi
	done
	if [ -n "${YARN_OFFLINE_MIRROR:-}" ]; then
		[ -d "$YARN_OFFLINE_MIRROR" ] || die "YARN_OFFLINE_MIRROR=$YARN_OFFLINE_MIRROR is not a folder"
		# yarn writes into its offline mirror, so it gets a copy it owns.
		as_root mkdir -p "$SP_STATE/yarn-offline-mirror"
		as_root cp -a "$YARN_OFFLINE_MIRROR/." "$SP_STATE/yarn-offline-mirror/"
		as_root chown -R "$BENCH_USER:" "$SP_STATE/yarn-offline-mirror"
		as_bench yarn config set yarn-offline-mirror "$SP_STATE/yarn-offline-mirror" >/dev/null
		as_bench yarn config set yarn-offline-mirror-pruning false >/dev/null
	fi
}

ensure_bench() {
	local marker=$SP_STATE/bench-init-incomplete
	if [ -e "$BENCH_DIR" ] && [ -e "$marker" ]; then
		log "Removing the incomplete bench an interrupted run left in $BENCH_DIR"
		as_root rm -rf "$BENCH_DIR"
	fi
	if [ ! -f "$BENCH_DIR/sites/common_site_config.json" ] || [ ! -x "$BENCH_DIR/env/bin/python" ] ||
		[ ! -f "$BENCH_DIR/apps/frappe/frappe/__init__.py" ]; then
		[ ! -e "$BENCH_DIR" ] || die "$BENCH_DIR exists but is not a complete bench; move it away and run again"
		log "Creating the bench in $BENCH_DIR (Frappe $FRAPPE_BRANCH from $FRAPPE_REPO)"
		as_root mkdir -p "$(dirname "$BENCH_DIR")"
		as_bench touch "$marker"
		as_bench bench init "$BENCH_DIR" --frappe-path "$(as_git_url "$FRAPPE_REPO")" \
			--frappe-branch "$FRAPPE_BRANCH" --python /usr/bin/python3 --skip-assets --no-backups </dev/null
	fi
	as_bench "$BENCH_DIR/env/bin/python" -c "import setuptools, sys; sys.exit(int(setuptools.__version__.split('.')[0]) >= 81)" ||
		as_bench uv pip install --quiet "setuptools<81" --python "$BENCH_DIR/env/bin/python"

	if [ ! -d "$BENCH_DIR/apps/erpnext" ] || [ -e "$marker" ]; then
		log "Getting ERPNext $ERPNEXT_BRANCH from $ERPNEXT_REPO"
		as_bench rm -rf "$BENCH_DIR/apps/erpnext"
		as_bench bench get-app --skip-assets --branch "$ERPNEXT_BRANCH" "$(as_git_url "$ERPNEXT_REPO")" </dev/null
	fi
	as_bench rm -f "$marker"

	# Redis: the bench's own cache and queue servers, started here rather than by `bench start`, so
	# scripts, tests and the scheduler find them whether or not the web server runs.
	as_bench sed -i -E 's/^(redis_[a-z]+|watch):/# \1:/' "$BENCH_DIR/Procfile"
	ensure_bench_redis

	as_bench bench set-config -g root_login "$DB_ADMIN_USER" >/dev/null
	as_bench bench set-config -g root_password "$DB_ADMIN_PASSWORD" >/dev/null
}

ensure_app_in_bench() {
	sync_app
	if ! as_bench "$BENCH_DIR/env/bin/python" -c "import support_plus" 2>/dev/null; then
		log "Installing support_plus into the bench"
		as_bench uv pip install --quiet -e "$BENCH_DIR/apps/support_plus" --python "$BENCH_DIR/env/bin/python"
	fi
	# bench writes apps.txt without a final newline: add one before appending.
	as_bench sh -c "grep -qx support_plus sites/apps.txt || { sed -i -e '\$a\\' sites/apps.txt; echo support_plus >> sites/apps.txt; }"
	# Test tools, listed once in pyproject.toml's [tool.bench.dev-dependencies].
	local -a dev_deps
	mapfile -t dev_deps < <(as_bench "$BENCH_DIR/env/bin/python" -c "
import tomllib
deps = tomllib.load(open('apps/support_plus/pyproject.toml', 'rb'))['tool']['bench']['dev-dependencies']
print('\n'.join(name + spec for name, spec in deps.items()))")
	# uv returns at once when they are all there already.
	as_bench uv pip install --quiet "${dev_deps[@]}" --python "$BENCH_DIR/env/bin/python"
	if [ ! -f "$BENCH_DIR/sites/assets/frappe/dist/css/website.bundle.css" ] &&
		! ls "$BENCH_DIR"/sites/assets/frappe/dist/css/website.bundle.*.css >/dev/null 2>&1; then
		log "Building assets"
		as_bench bench build
	elif [ ! -e "$BENCH_DIR/sites/assets/support_plus" ]; then
		as_bench bench build --app support_plus
	fi
}

ensure_demo_site() {
	ensure_site "$SITE"
	as_bench bench use "$SITE" >/dev/null
	migrate_if_changed "$SITE"
	bench_cmd --site "$SITE" enable-scheduler >/dev/null
	log "Loading demo data into $SITE"
	bench_cmd --site "$SITE" support-plus-demo
}

start_server() {
	local pidfile=$SP_STATE/bench-start.pgid
	if [ -s "$pidfile" ] && as_root kill -0 -- "-$(cat "$pidfile")" 2>/dev/null; then
		log "Restarting the running server"
		as_root kill -- "-$(cat "$pidfile")" 2>/dev/null || true
		sleep 3
	fi
	log "Starting the server (log: $BENCH_DIR/logs/bench-start.log)"
	as_bench setsid bash -c "exec bench start > '$BENCH_DIR/logs/bench-start.log' 2>&1" </dev/null &
	local i pid=""
	for i in $(seq 1 90); do
		[ -n "$pid" ] || pid=$(pgrep -u "$BENCH_USER" -f 'honcho start' | head -1 || true)
		curl -fsS -o /dev/null "http://localhost:8000/api/method/ping" 2>/dev/null && break
		sleep 1
	done
	[ -z "$pid" ] || ps -o pgid= -p "$pid" | tr -d ' ' | as_root tee "$pidfile" >/dev/null
	curl -fsS -o /dev/null "http://localhost:8000/api/method/ping" ||
		die "the server did not answer on http://localhost:8000 (see $BENCH_DIR/logs/bench-start.log)"
}

install_system_packages
ensure_bench_user
ensure_mariadb
ensure_bench_cli
ensure_bench
ensure_app_in_bench
ensure_demo_site

log "Setup finished in ${SECONDS}s. Bench: $BENCH_DIR (user $BENCH_USER), site: $SITE"
if [ "$START" = 1 ]; then
	start_server
	cat <<-EOF

		  support_plus is running:  http://localhost:8000/app/issue
		  Log in as:                Administrator / $ADMIN_PASSWORD
		  Stop it with:             kill -- -\$(cat $SP_STATE/bench-start.pgid)

	EOF
fi
