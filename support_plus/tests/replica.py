"""A MariaDB replica of the test site's database, for the read-replica test (issue 16).

A second mariadbd, run by the test's own OS user on a free loopback port with a throwaway data folder,
replicates the site's database from the primary with MariaDB's own replication: it is seeded with a
consistent dump that carries the primary's binary log position (`mariadb-dump --single-transaction
--master-data`) and follows the binary log from there. It is read-only and the site's database user may
only SELECT on it, so a write sent there fails; its general log records what the site ran there.

It holds the site's own tables: Frappe's (`tab…`, `__…` and its sequences). A table Frappe does not know
(a benchmark's scratch copy of a million tickets left in the test database) is neither copied nor
replicated: it would only make the start take minutes.

The primary must write a binary log (./scripts/setup.sh turns it on); the dump and the replication use the
scripts' database admin account, whose password file ./scripts/test.sh names in the environment.
"""

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from unittest.mock import patch

import pymysql

import frappe

ADMIN_USER_ENV = "SUPPORT_PLUS_DB_ADMIN_USER"
ADMIN_PASSWORD_FILE_ENV = "SUPPORT_PLUS_DB_ADMIN_PASSWORD_FILE"
WRITES = ("insert", "update", "delete", "replace", "create", "alter", "drop", "truncate", "rename", "grant")


@contextmanager
def running_replica():
	"""A replica of the site's database, caught up with the primary; stopped and deleted afterwards."""
	replica = Replica()
	try:
		replica.start()
		yield replica
	finally:
		replica.stop()


class Replica:
	def __init__(self):
		user, password_file = os.environ.get(ADMIN_USER_ENV), os.environ.get(ADMIN_PASSWORD_FILE_ENV)
		if not (user and password_file):
			raise AssertionError(
				f"{ADMIN_USER_ENV} and {ADMIN_PASSWORD_FILE_ENV} are not set: run the tests with ./scripts/test.sh"
			)
		with open(password_file) as f:
			self.admin = {"user": user, "password": f.read().strip()}
		self.db_name = frappe.conf.db_name
		self.primary = {"host": frappe.conf.db_host, "port": int(frappe.conf.db_port)}
		self.folder = tempfile.mkdtemp(prefix="sp-replica-")
		self.socket = os.path.join(self.folder, "mariadb.sock")
		self.error_log = os.path.join(self.folder, "error.log")
		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			self.port = s.getsockname()[1]
		self.process = None
		self.seconds = {}  # how long each step of start took

	def site_config(self) -> dict:
		"""The site config keys that make Frappe's read-only path (`frappe.read_only()`) read here."""
		return {"read_from_replica": 1, "replica_host": "127.0.0.1", "replica_db_port": self.port}

	@contextmanager
	def serving(self):
		"""One request of a site configured with this replica. Frappe connects the replica once per request
		or job (frappe.connect_replica keeps `local.replica_db` and `local.primary_db` until the request
		ends), so each block starts and ends with neither, and always ends on the primary."""
		primary = frappe.local.db
		forget_replica()
		try:
			with patch.dict(frappe.local.conf, self.site_config()):
				yield
		finally:
			forget_replica()
			frappe.local.db = primary

	def start(self) -> None:
		self.check_primary()
		began = time.monotonic()
		self.start_server()
		self.point_at_primary()
		self.seconds["server"] = time.monotonic() - began
		began = time.monotonic()
		self.load_dump()
		self.seconds["dump_and_load"] = time.monotonic() - began
		began = time.monotonic()
		with self.replica_connection() as replica:
			query(replica, "start slave")
		self.catch_up()
		self.seconds["catch_up"] = time.monotonic() - began
		with self.replica_connection() as replica:
			query(replica, "set global general_log = 1")  # from here on: what the site runs here

	def check_primary(self) -> None:
		"""The primary writes a binary log; the tables Frappe does not know are noted, to be left out."""
		with self.primary_connection() as primary:
			if not query(primary, "select @@log_bin")[0][0]:
				raise AssertionError(
					"the primary MariaDB writes no binary log (log-bin), so nothing can replicate it: "
					"./scripts/setup.sh turns it on"
				)
			self.foreign_tables = [
				row[0]
				for row in query(
					primary,
					"select table_name from information_schema.tables where table_schema = %s"
					" and table_type = 'BASE TABLE' and table_name not like 'tab%%'"
					" and table_name not like '\\_\\_%%'",
					(self.db_name,),
				)
			]

	def start_server(self) -> None:
		datadir = os.path.join(self.folder, "data")
		installed = subprocess.run(
			[
				*("mariadb-install-db", "--no-defaults", f"--datadir={datadir}"),
				*("--auth-root-authentication-method=normal", "--skip-test-db"),
			],
			capture_output=True,
			text=True,
		)
		if installed.returncode:
			raise AssertionError(f"mariadb-install-db failed:\n{installed.stdout}{installed.stderr}")
		mariadbd = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
		self.process = subprocess.Popen(
			[
				*(mariadbd, "--no-defaults", f"--datadir={datadir}", f"--socket={self.socket}"),
				*(f"--port={self.port}", "--bind-address=127.0.0.1", f"--log-error={self.error_log}"),
				f"--pid-file={os.path.join(self.folder, 'mariadbd.pid')}",
				# a server id of its own among the primary's replicas (the port is unique while it runs)
				f"--server-id={self.port}",
				f"--replicate-do-db={self.db_name}",
				*(f"--replicate-ignore-table={self.db_name}.{table}" for table in self.foreign_tables),
				*("--read-only", "--skip-slave-start", "--skip-name-resolve", "--log-output=TABLE"),
				*("--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"),
				# A throwaway copy: one shared tablespace (a file per table makes loading the site's ~720
				# tables take 20 s instead of 3) and no flush at each commit.
				*("--innodb-file-per-table=0", "--innodb-flush-log-at-trx-commit=0"),
				"--innodb-buffer-pool-size=256M",
			],
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			preexec_fn=stop_with_parent,
		)
		self.wait_until_up()

	def point_at_primary(self) -> None:
		"""The empty database, the site's database user allowed to read only, and where to replicate from
		(before the dump: its own CHANGE MASTER sets only the log position, which a later change of host
		would reset)."""
		with self.replica_connection() as replica:
			database = f"`{self.db_name}`"
			query(replica, f"create database {database} character set utf8mb4 collate utf8mb4_unicode_ci")
			query(
				replica,
				"create user %s@'127.0.0.1' identified by %s",
				(self.db_name, frappe.conf.db_password),
			)
			query(replica, f"grant select on {database}.* to %s@'127.0.0.1'", (self.db_name,))
			query(
				replica,
				"change master to master_host=%s, master_port=%s, master_user=%s, master_password=%s, "
				"master_use_gtid=no, master_connect_retry=1",
				(self.primary["host"], self.primary["port"], self.admin["user"], self.admin["password"]),
			)

	def load_dump(self) -> None:
		"""The site's database as of one moment, with the primary's binary log position of that moment."""
		dump = subprocess.Popen(
			[
				*(
					"mariadb-dump",
					"--no-defaults",
					"-h",
					self.primary["host"],
					"-P",
					str(self.primary["port"]),
				),
				*("-u", self.admin["user"], "--single-transaction", "--master-data=1"),
				*("--routines", "--triggers", self.db_name),
				*(f"--ignore-table={self.db_name}.{table}" for table in self.foreign_tables),
			],
			env={**os.environ, "MYSQL_PWD": self.admin["password"]},
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
		)
		load = subprocess.run(
			["mariadb", "--no-defaults", "-S", self.socket, "-u", "root", self.db_name],
			stdin=dump.stdout,
			capture_output=True,
		)
		dump.stdout.close()
		dump_error = dump.stderr.read().decode()
		if dump.wait() or load.returncode:
			raise AssertionError(f"dump into the replica failed: {dump_error}{load.stderr.decode()}")

	def catch_up(self, timeout: int = 300) -> None:
		"""Wait until the replica has applied everything the primary committed so far."""
		with self.primary_connection() as primary:
			log_file, position = query(primary, "show master status")[0][:2]
		with self.replica_connection() as replica:
			waited = query(replica, "select master_pos_wait(%s, %s, %s)", (log_file, position, timeout))
			if waited[0][0] is None or waited[0][0] < 0:
				status = query(replica, "show slave status", as_dict=True)
				raise AssertionError(f"the replica did not catch up with {log_file}:{position}: {status}")

	def site_statements(self) -> list[str]:
		"""What the site's database user has run on the replica since it caught up first, in order."""
		with self.replica_connection() as replica:
			rows = query(
				replica,
				"select argument from mysql.general_log where user_host like %s and command_type = 'Query'"
				" order by event_time",
				(f"{self.db_name}[{self.db_name}]%",),
			)
		return [row[0].decode() if isinstance(row[0], bytes) else row[0] for row in rows]

	def wait_until_up(self, timeout: int = 60) -> None:
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				break
			try:
				with self.replica_connection():
					return
			except pymysql.err.OperationalError:
				time.sleep(0.2)
		raise AssertionError(f"the replica's mariadbd did not start:\n{self.error_log_tail()}")

	def error_log_tail(self) -> str:
		try:
			with open(self.error_log) as f:
				return "".join(f.readlines()[-30:])
		except OSError:
			return "(no error log)"

	@contextmanager
	def primary_connection(self):
		connection = pymysql.connect(**self.primary, **self.admin, autocommit=True)
		try:
			yield connection
		finally:
			connection.close()

	@contextmanager
	def replica_connection(self):
		connection = pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)
		try:
			yield connection
		finally:
			connection.close()

	def stop(self) -> None:
		if self.process and self.process.poll() is None:
			self.process.terminate()  # mariadbd shuts down cleanly on SIGTERM
			try:
				self.process.wait(60)
			except subprocess.TimeoutExpired:
				self.process.kill()
				self.process.wait()
		shutil.rmtree(self.folder, ignore_errors=True)


def query(connection, sql: str, args=None, as_dict: bool = False):
	with connection.cursor(pymysql.cursors.DictCursor if as_dict else None) as cursor:
		cursor.execute(sql, args)
		return cursor.fetchall()


def forget_replica() -> None:
	"""Drop Frappe's per-request replica state (frappe.connect_replica), as the end of a request does."""
	for attribute in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attribute):
			delattr(frappe.local, attribute)


LIBC = ctypes.CDLL(None)  # loaded here, not between fork and exec (where another thread may hold a lock)
PR_SET_PDEATHSIG = 1


def stop_with_parent() -> None:
	"""In the child before exec: the kernel sends it SIGTERM when the test process dies, even by SIGKILL."""
	LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
