"""A local SMTP sink for trying the product without a mail server: every email support_plus sends
(acknowledgements, replies, escalations, coverage alerts, "your technician is on the way") is kept as an
.eml file and printed as one line, and nothing leaves the machine.

`bench --site SITE support-plus-mail-sink` starts it and points the site's default outgoing Email Account
at it (see README, "Trying email locally"). The test suite's SMTP recorder is the same server
(support_plus/tests/mail_servers.py). Frappe has no such sink of its own; Python's `smtpd` is deprecated
and `aiosmtpd` is not on the bench, hence this small RFC 5321 subset.
"""

import email
import email.policy
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from pathlib import Path

DEMO_OUTBOX = "Support Plus Demo Outbox (local sink)"


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


class SmtpSink(socketserver.ThreadingTCPServer):
	"""An SMTP server (RFC 5321's minimum, AUTH accepted) that keeps every message it is given, and
	writes each to `directory` as an .eml file when one is given."""

	daemon_threads = True
	allow_reuse_address = True

	def __init__(
		self,
		port: int | None = None,
		directory: str | Path | None = None,
		on_message: Callable[[email.message.Message, Path | None], None] | None = None,
	):
		self.messages: list[email.message.Message] = []
		self.raw_messages: list[bytes] = []
		self.directory = Path(directory) if directory else None
		self.on_message = on_message
		if self.directory:
			self.directory.mkdir(parents=True, exist_ok=True)
		super().__init__(("127.0.0.1", port or free_port()), _SmtpSession)
		self.port = self.server_address[1]
		threading.Thread(target=self.serve_forever, daemon=True).start()

	def keep(self, raw: bytes) -> None:
		message = email.message_from_bytes(raw, policy=email.policy.default)
		self.raw_messages.append(raw)
		self.messages.append(message)
		path = None
		if self.directory:
			path = self.directory / f"{time.strftime('%Y%m%d-%H%M%S')}-{len(self.messages):05d}.eml"
			path.write_bytes(raw)
		if self.on_message:
			self.on_message(message, path)

	def wait_for(self, count: int, timeout: float = 10) -> list[email.message.Message]:
		deadline = time.monotonic() + timeout
		while len(self.messages) < count and time.monotonic() < deadline:
			time.sleep(0.05)
		return self.messages

	def stop(self) -> None:
		self.shutdown()
		self.server_close()


class _SmtpSession(socketserver.StreamRequestHandler):
	def reply(self, line: str) -> None:
		self.wfile.write(line.encode() + b"\r\n")

	def handle(self):
		self.reply("220 sink ESMTP")
		while line := self.rfile.readline():
			command = line.decode("utf-8", "replace").strip()
			verb = command.split(" ", 1)[0].upper()
			if verb == "EHLO":
				self.reply("250-sink")
				self.reply("250-AUTH PLAIN LOGIN")
				self.reply("250 8BITMIME")
			elif verb == "AUTH":
				self.reply("235 2.7.0 Authentication successful")
			elif verb == "DATA":
				self.reply("354 End data with <CR><LF>.<CR><LF>")
				lines = []
				while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
					lines.append(data[1:] if data.startswith(b"..") else data)
				self.server.keep(b"".join(lines))
				self.reply("250 OK")
			elif verb == "QUIT":
				self.reply("221 Bye")
				return
			else:  # HELO, MAIL, RCPT, RSET, NOOP
				self.reply("250 OK")


def use_sink(port: int, sender: str = "support@support-plus.example") -> str:
	"""Make the site's default outgoing Email Account the sink on `port` (created once, updated after);
	returns its name. Call it while the sink runs: Frappe connects to an outgoing server when it is saved."""
	import frappe

	values = {
		"email_id": sender,
		"enable_outgoing": 1,
		"default_outgoing": 1,
		"smtp_server": "127.0.0.1",
		"smtp_port": port,
		"use_tls": 0,
		"use_ssl_for_outgoing": 0,
		"no_smtp_authentication": 1,
	}
	if frappe.db.exists("Email Account", DEMO_OUTBOX):
		account = frappe.get_doc("Email Account", DEMO_OUTBOX)
		account.update(values)
		account.save(ignore_permissions=True)
	else:
		account = frappe.get_doc(
			{"doctype": "Email Account", "email_account_name": DEMO_OUTBOX, **values}
		).insert(ignore_permissions=True)
	return account.name
