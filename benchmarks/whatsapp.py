"""The WhatsApp webhook under concurrent signed posts, on the production server (gunicorn).

    ./scripts/benchmark.sh whatsapp [--messages N] [--senders N] [--clients N] [--replays FRACTION]

Starts gunicorn with the bench's gunicorn_workers on a free loopback port, enables WhatsApp with a test
app secret, and has `--clients` threads post Meta-shaped notifications (one message each, signed with
X-Hub-Signature-256) from `--senders` numbers; a share of them (`--replays`) is posted a second time, as
Meta does when it retries. Then runs the background job of every conversation (as a worker would) and
counts: stored messages per WhatsApp message id (a replay stored twice is a duplicate), messages never
stored or never posted on their ticket (lost). Everything it made is removed at the end.
Targets on the 2-core machine: msgs_per_sec >= 50, duplicates = 0, lost = 0.
Last line: whatsapp msgs_per_sec=<n> duplicates=<n> lost=<n>
"""

import argparse
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor

import click
import requests

import frappe
from frappe.utils import now_datetime
from frappe.utils.password import set_encrypted_password

from benchmarks.portal_list import start_gunicorn
from support_plus.channels import conversations
from support_plus.channels.whatsapp import inbound
from support_plus.channels.whatsapp.webhook import signature

SECRET = "benchmark-app-secret"
SETTINGS = "Support WhatsApp Settings"
WEBHOOK = "/api/method/support_plus.channels.whatsapp.webhook.webhook"
PREFIX = "wamid.BENCH"


def run(args: list[str]) -> dict:
	parser = argparse.ArgumentParser(prog="whatsapp")
	parser.add_argument("--messages", type=int, default=3000)
	parser.add_argument("--senders", type=int, default=300)
	parser.add_argument("--clients", type=int, default=10)
	parser.add_argument("--replays", type=float, default=0.1)
	parser.add_argument("--workers", type=int, default=frappe.conf.get("gunicorn_workers") or 5)
	opts = parser.parse_args(args)
	started = now_datetime()
	previous = frappe.db.get_single_value(SETTINGS, "enabled")
	configure()
	server = None
	try:
		server, url = start_gunicorn(opts.workers)
		bodies = make_bodies(opts.messages, opts.senders)
		rng = random.Random(7)
		posts = bodies + [body for body in bodies if rng.random() < opts.replays]
		rng.shuffle(posts)
		warm_up(url, opts.clients)
		elapsed, failed = post_all(url, posts, opts.clients)
		click.echo(
			f"posted {len(posts)} notifications ({len(bodies)} messages) in {elapsed:.1f}s, {failed} refused",
			err=True,
		)
		duplicates, lost = check(opts.messages)
		return {"msgs_per_sec": round(len(bodies) / elapsed, 1), "duplicates": duplicates, "lost": lost}
	finally:
		if server:
			server.terminate()
			server.wait(timeout=30)
		remove(started, previous)


def configure() -> None:
	settings = frappe.get_doc(SETTINGS)
	settings.update({"enabled": 1, "graph_api_url": "http://127.0.0.1:9/v19.0", "phone_number_id": "BENCH"})
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	for field, value in (("access_token", "bench"), ("app_secret", SECRET), ("verify_token", "bench")):
		set_encrypted_password(SETTINGS, SETTINGS, value, field)
	frappe.db.commit()  # nosemgrep: the server reads them


def make_bodies(messages: int, senders: int) -> list[bytes]:
	now = int(time.time())
	bodies = []
	for i in range(messages):
		phone = f"49170{i % senders:07d}"
		payload = {
			"object": "whatsapp_business_account",
			"entry": [
				{
					"id": "BENCH",
					"changes": [
						{
							"field": "messages",
							"value": {
								"messaging_product": "whatsapp",
								"metadata": {
									"display_phone_number": "15550000000",
									"phone_number_id": "BENCH",
								},
								"contacts": [
									{"profile": {"name": f"Bench sender {i % senders}"}, "wa_id": phone}
								],
								"messages": [
									{
										"from": phone,
										"id": f"{PREFIX}{i:08d}",
										"timestamp": str(now),
										"type": "text",
										"text": {
											"body": f"Benchmark message {i}: the printer shows error {i % 97}"
										},
									}
								],
							},
						}
					],
				}
			],
		}
		bodies.append(json.dumps(payload).encode())
	return bodies


def _post(url: str, body: bytes, site: str) -> bool:
	headers = {
		"Content-Type": "application/json",
		"X-Hub-Signature-256": signature(body, SECRET),
		"X-Frappe-Site-Name": site,
	}
	for _attempt in range(3):  # Meta retries a failed delivery; so do we
		try:
			if requests.post(url + WEBHOOK, data=body, headers=headers, timeout=60).status_code == 200:
				return True
		except requests.RequestException:
			pass
	return False


def warm_up(url: str, clients: int) -> None:
	site = frappe.local.site  # the threads have no frappe.local
	with ThreadPoolExecutor(clients) as pool:
		list(
			pool.map(
				lambda _: requests.get(
					url + "/api/method/ping", headers={"X-Frappe-Site-Name": site}, timeout=30
				),
				range(clients * 3),
			)
		)


def post_all(url: str, posts: list[bytes], clients: int) -> tuple[float, int]:
	done = 0
	failed = 0
	site = frappe.local.site  # the threads have no frappe.local
	start = time.monotonic()
	with (
		ThreadPoolExecutor(clients) as pool,
		click.progressbar(length=len(posts), label="posting", file=click.get_text_stream("stderr")) as bar,
	):
		for ok in pool.map(lambda body: _post(url, body, site), posts):
			done += 1
			failed += not ok
			bar.update(1)
	return time.monotonic() - start, failed


def check(messages: int) -> tuple[int, int]:
	"""(duplicates, lost) after the conversations' jobs ran."""
	frappe.db.rollback()
	names = frappe.get_all(
		"Support Conversation", filters={"phone": ("like", "49170%"), "channel": "WhatsApp"}, pluck="name"
	)
	with click.progressbar(
		names, label="processing conversations", file=click.get_text_stream("stderr")
	) as bar:
		for name in bar:
			inbound.process(name)
			frappe.db.commit()  # nosemgrep: as each job commits
	stored = frappe.db.sql(
		"""select external_id, count(*) as n, max(communication is not null) as posted
		from `tabSupport Conversation Message` where external_id like %s group by external_id""",
		(PREFIX + "%",),
		as_dict=True,
	)
	duplicates = sum(row.n - 1 for row in stored)
	posted = frappe.db.sql(
		"""select count(*) from `tabCommunication` c join `tabSupport Conversation Message` m
		on m.communication = c.name where m.external_id like %s""",
		(PREFIX + "%",),
	)[0][0]
	duplicates += max(0, posted - len(stored))
	lost = messages - sum(1 for row in stored if row.posted)
	return duplicates, lost


def remove(started, previous) -> None:
	frappe.db.rollback()
	convs = frappe.get_all("Support Conversation", filters={"phone": ("like", "49170%")}, pluck="name")
	tickets = frappe.get_all(
		"Issue", filters={"channel": "WhatsApp", "creation": (">=", started)}, pluck="name"
	)
	frappe.db.delete(
		"Communication", {"reference_doctype": "Issue", "reference_name": ("in", tickets or ["-"])}
	)
	frappe.db.delete("Issue", {"name": ("in", tickets or ["-"])})
	frappe.db.delete(conversations.MESSAGE, {"conversation": ("in", convs or ["-"])})
	frappe.db.delete("Support Conversation", {"name": ("in", convs or ["-"])})
	frappe.db.set_single_value(SETTINGS, "enabled", previous or 0)
	frappe.db.commit()  # nosemgrep
