"""Real mail servers on loopback for the email channel's end-to-end test: Debian's dovecot as the IMAP
server the Email Account polls (started as the bench user with its own configuration, port and mail
folder), and a small SMTP server that keeps what it receives (Frappe's outgoing mail goes through smtplib
to it, so the headers it records are the ones a mail client would see)."""

import email
import email.policy
import imaplib
import os
import shutil
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from support_plus.demo.mail_sink import SmtpSink, free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "loopback-secret"


class Dovecot:
	"""An IMAP server any user name logs in to with PASSWORD; each user has a Maildir."""

	def __init__(self):
		self.dir = Path(tempfile.mkdtemp(prefix="sp-dovecot-"))
		self.port = free_port()
		self.config = self.dir / "dovecot.conf"
		self.process = None

	@staticmethod
	def available() -> bool:
		return os.path.exists(DOVECOT)

	def start(self) -> "Dovecot":
		import grp
		import pwd

		user = pwd.getpwuid(os.getuid()).pw_name
		group = grp.getgrgid(os.getgid()).gr_name
		self.config.write_text(
			f"""
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{self.dir}/mail/%u
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={os.getuid()} gid={os.getgid()} home={self.dir}/mail/%u
}}
"""
		)
		subprocess.run([DOVECOT, "-c", str(self.config)], check=True)
		deadline = time.monotonic() + 10
		while time.monotonic() < deadline:
			try:
				socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
				return self
			except OSError:
				time.sleep(0.1)
		raise RuntimeError(f"dovecot did not start: {(self.dir / 'dovecot.log').read_text()}")

	def deliver(self, mailbox_user: str, raw: bytes) -> None:
		"""Put a message into the user's INBOX (IMAP APPEND, as a delivery agent would), unread."""
		imap = imaplib.IMAP4("127.0.0.1", self.port)
		imap.login(mailbox_user, PASSWORD)
		imap.append("INBOX", None, None, raw)
		imap.logout()

	def stop(self) -> None:
		subprocess.run([DOVECOT, "-c", str(self.config), "stop"], check=False, capture_output=True)
		shutil.rmtree(self.dir, ignore_errors=True)
