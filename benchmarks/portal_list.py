"""/support/tickets for one portal user under concurrent load, on the production server (gunicorn).

    ./scripts/benchmark.sh portal_list [--tickets 100000] [--customers 1000] [--connections 10]
        [--seconds 15] [--workers N] [--keep]

Bulk-loads the tickets across the customers (one portal contact each; kept between runs with --keep,
otherwise removed at the end), starts gunicorn with the bench's gunicorn_workers on a free loopback
port, logs in as one portal user, warms every worker with 3 s of the same load and loads
/support/tickets with wrk (Debian's) for the given time, printing the latency spread on stderr.
Target on the 2-core machine: p95 <= 150 ms at 10 concurrent clients.
Last line: portal_list p50_ms=<n> p95_ms=<n> rps=<n>
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

import click
import requests

import frappe
from frappe.utils.password import update_password

PREFIX = "PLB"
PASSWORD = "Portal-bench-1"
LUA = """
done = function(summary, latency, requests)
  for _, p in pairs({50, 75, 90, 95, 99, 99.9}) do
    io.write(string.format("latency p%g %.1f ms\\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("latency max %.1f ms\\n", latency.max / 1000))
  io.write(string.format("RESULT p50_ms=%.2f p95_ms=%.2f rps=%.1f errors=%d\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="portal_list")
	parser.add_argument("--tickets", type=int, default=100_000)
	parser.add_argument("--customers", type=int, default=1_000)
	parser.add_argument("--connections", type=int, default=10)
	parser.add_argument("--seconds", type=int, default=15)
	parser.add_argument("--keep", action="store_true")
	parser.add_argument(
		"--workers",
		type=int,
		default=frappe.conf.get("gunicorn_workers") or os.cpu_count() * 2 + 1,
		help="gunicorn workers (default: the bench's gunicorn_workers, as its production server runs)",
	)
	opts = parser.parse_args(args)
	user = make_data(opts.tickets, opts.customers)
	server = None
	try:
		server, url = start_gunicorn(opts.workers)
		cookie = login(url, user)
		# A worker's first page compiles its templates (a few hundred ms). Sequential requests may all
		# land on one worker, so warm up with the same concurrency as the measurement: steady state.
		measure(url, cookie, opts.connections, 3, label="warm-up")
		return measure(url, cookie, opts.connections, opts.seconds)
	finally:
		if server:
			server.terminate()
			server.wait(timeout=30)
		if not opts.keep:
			remove_data()


def headers(cookie: str) -> dict:
	return {"Cookie": f"sid={cookie}", "X-Frappe-Site-Name": frappe.local.site}


def make_data(tickets: int, customers: int) -> str:
	user = f"{PREFIX.lower()}-0000@portal-bench.example"
	if frappe.db.count("Issue", {"name": ("like", f"{PREFIX}%")}) != tickets:
		remove_data()
		group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
		territory = frappe.db.get_value("Territory", {"is_group": 0}, "name")
		now = datetime.now()
		cust_rows, contact_rows, email_rows, link_rows = [], [], [], []
		for c in range(customers):
			customer, contact, email = (
				f"{PREFIX} Customer {c:04d}",
				f"{PREFIX}-contact-{c:04d}",
				f"{PREFIX.lower()}-{c:04d}@portal-bench.example",
			)
			cust_rows.append(
				(customer, customer, "Company", group, territory, now, now, "Administrator", "Administrator")
			)
			contact_rows.append((contact, f"Contact {c}", email, now, now, "Administrator", "Administrator"))
			email_rows.append((f"{contact}-e", email, 1, contact, "Contact", "email_ids", 1, now, now))
			link_rows.append((f"{contact}-l", "Customer", customer, contact, "Contact", "links", 1, now, now))
		owner = ["creation", "modified", "owner", "modified_by"]
		frappe.db.bulk_insert(
			"Customer",
			["name", "customer_name", "customer_type", "customer_group", "territory", *owner],
			cust_rows,
		)
		frappe.db.bulk_insert("Contact", ["name", "first_name", "email_id", *owner], contact_rows)
		child = ["idx", "creation", "modified"]
		frappe.db.bulk_insert(
			"Contact Email",
			["name", "email_id", "is_primary", "parent", "parenttype", "parentfield", *child],
			email_rows,
		)
		frappe.db.bulk_insert(
			"Dynamic Link",
			["name", "link_doctype", "link_name", "parent", "parenttype", "parentfield", *child],
			link_rows,
		)
		rows = []
		with click.progressbar(
			range(tickets), label="Making tickets", file=click.get_text_stream("stderr")
		) as bar:
			for i in bar:
				c = i % customers
				created = now - timedelta(minutes=i)
				rows.append(
					(f"{PREFIX}{i:07d}", f"Portal benchmark ticket {i}", ("Open", "Replied", "Closed")[i % 3],
					 f"{PREFIX.lower()}-{c:04d}@portal-bench.example", f"{PREFIX}-contact-{c:04d}", f"{PREFIX} Customer {c:04d}",
					 created.date(), created, created, "Administrator", "Administrator")
				)  # fmt: skip
				if len(rows) == 10_000:
					frappe.db.bulk_insert(
						"Issue",
						[
							"name",
							"subject",
							"status",
							"raised_by",
							"contact",
							"customer",
							"opening_date",
							*owner,
						],
						rows,
					)
					rows = []
		if rows:
			frappe.db.bulk_insert(
				"Issue",
				["name", "subject", "status", "raised_by", "contact", "customer", "opening_date", *owner],
				rows,
			)
	if not frappe.db.exists("User", user):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": user,
				"first_name": "Portal",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Contact", f"{PREFIX}-contact-0000", "user", user)
	update_password(user, PASSWORD)
	frappe.db.commit()  # nosemgrep: the web server is another process
	return user


def remove_data() -> None:
	for doctype, field in (
		("Issue", "name"),
		("Dynamic Link", "parent"),
		("Contact Email", "parent"),
		("Contact", "name"),
		("Customer", "name"),
	):
		frappe.db.delete(doctype, {field: ("like", f"{PREFIX}%")})
	frappe.db.delete("User", {"name": ("like", f"{PREFIX.lower()}-%@portal-bench.example")})
	frappe.db.commit()  # nosemgrep


def start_gunicorn(workers: int):
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		port = s.getsockname()[1]
	gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
	log = open(os.path.join(frappe.local.sites_path, "..", "logs", "portal-bench-gunicorn.log"), "ab")
	server = subprocess.Popen(
		[
			gunicorn,
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=frappe.local.sites_path,
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	url = f"http://127.0.0.1:{port}"
	for _ in range(120):
		try:
			if requests.get(
				url + "/api/method/ping", headers={"X-Frappe-Site-Name": frappe.local.site}, timeout=2
			).ok:
				return server, url
		except requests.ConnectionError:
			time.sleep(0.5)
	server.terminate()
	raise RuntimeError("gunicorn did not start (logs/portal-bench-gunicorn.log)")


def login(url: str, user: str) -> str:
	response = requests.post(
		url + "/api/method/login",
		json={"usr": user, "pwd": PASSWORD},
		headers={"X-Frappe-Site-Name": frappe.local.site},
		timeout=30,
	)
	response.raise_for_status()
	page = requests.get(
		url + "/support/tickets",
		cookies=response.cookies,
		headers={"X-Frappe-Site-Name": frappe.local.site},
		timeout=30,
	)
	assert f"{PREFIX}0000000" in page.text, "the portal user must see their tickets"
	assert f"{PREFIX}0000001" not in page.text, "and nobody else's"
	return response.cookies["sid"]


def measure(url: str, cookie: str, connections: int, seconds: int, label: str = "measure") -> dict:
	with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
		script.write(LUA)
	command = [
		"wrk",
		"-t",
		"2",
		"-c",
		str(connections),
		"-d",
		f"{seconds}s",
		"-s",
		script.name,
		"--timeout",
		"10s",
	]
	for name, value in headers(cookie).items():
		command += ["-H", f"{name}: {value}"]
	click.echo(f"{label}: wrk {connections} connections for {seconds}s on /support/tickets", err=True)
	output = subprocess.run(
		[*command, url + "/support/tickets"], stdout=subprocess.PIPE, text=True, check=True
	).stdout
	os.unlink(script.name)
	for line in output.splitlines():
		if line.startswith("latency "):
			click.echo(line, err=True)
	result = dict(part.split("=") for part in output.split("RESULT ", 1)[1].split())
	assert result["errors"] == "0", output
	return {"p50_ms": float(result["p50_ms"]), "p95_ms": float(result["p95_ms"]), "rps": float(result["rps"])}
