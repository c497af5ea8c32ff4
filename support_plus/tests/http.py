"""A real web server for the test site, for tests that go through HTTP (REST, pages, files).

`frappe serve` runs in its own process against the same database and Redis, so what a test wants the
server to see must be committed. Started once per test session, on a free loopback port, stopped at exit.
"""

import atexit
import os
import socket
import subprocess
import sys
import time

import requests

import frappe
from frappe.utils.password import update_password

PASSWORD = "Sp-test-password-1"


class SiteServer:
	_instance = None

	@classmethod
	def get(cls) -> "SiteServer":
		if cls._instance is None:
			cls._instance = cls()
			atexit.register(cls._instance.stop)
		return cls._instance

	def __init__(self):
		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			self.port = s.getsockname()[1]
		self.url = f"http://127.0.0.1:{self.port}"
		log_dir = os.environ.get("SUPPORT_PLUS_ARTIFACTS") or os.path.join(
			frappe.local.sites_path, "..", "logs"
		)
		os.makedirs(log_dir, exist_ok=True)
		self.log = open(os.path.join(log_dir, "test-server.log"), "ab")
		self.process = subprocess.Popen(
			[
				*(sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site),
				*("serve", "--port", str(self.port), "--noreload"),
			],
			cwd=frappe.local.sites_path,
			stdout=self.log,
			stderr=subprocess.STDOUT,
		)
		deadline = time.monotonic() + 60
		while time.monotonic() < deadline:
			try:
				if requests.get(f"{self.url}/api/method/ping", timeout=2).ok:
					return
			except requests.ConnectionError:
				pass
			if self.process.poll() is not None:
				break
			time.sleep(0.3)
		self.stop()
		raise RuntimeError(f"the test web server did not start (see {self.log.name})")

	def stop(self):
		if self.process.poll() is None:
			self.process.terminate()
			try:
				self.process.wait(timeout=10)
			except subprocess.TimeoutExpired:
				self.process.kill()
		self.log.close()

	def login(self, user: str) -> requests.Session:
		"""A session logged in as `user` (its password is set and committed here)."""
		update_password(user, PASSWORD)
		frappe.db.commit()  # nosemgrep: the server process must see the password
		session = requests.Session()
		response = session.post(
			f"{self.url}/api/method/login", json={"usr": user, "pwd": PASSWORD}, timeout=30
		)
		response.raise_for_status()
		return session
