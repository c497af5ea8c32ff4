"""Bounces and auto-replies: messages written by machines. They never open or reopen a ticket and never get
an acknowledgement (an auto-reply answered by an acknowledgement is how mail loops start).

The signs are the ones RFC 3834 and the big mail systems use: `Auto-Submitted` other than "no",
`X-Autoreply`/`X-Autorespond` (Exchange's out-of-office sets Auto-Submitted: auto-replied),
`Precedence: bulk|junk|list|auto_reply`, delivery reports (`multipart/report`), and the mail system's own
senders (MAILER-DAEMON, postmaster)."""

from email.message import Message

AUTOMATED_PRECEDENCE = frozenset(("bulk", "junk", "list", "auto_reply", "auto-reply"))
SYSTEM_SENDERS = frozenset(("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"))


def automated_reason(mail: Message, sender: str | None) -> str | None:
	"""Why `mail` was sent by a machine, or None for a message from a person."""
	auto_submitted = _header(mail, "Auto-Submitted")
	if auto_submitted and auto_submitted != "no":
		return f"Auto-Submitted: {auto_submitted}"
	for header in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
		if _header(mail, header):
			return header
	precedence = _header(mail, "Precedence")
	if precedence in AUTOMATED_PRECEDENCE:
		return f"Precedence: {precedence}"
	if mail.get_content_type() == "multipart/report":
		return "delivery report"
	local_part = (sender or "").rsplit("@", 1)[0].strip().lower()
	if local_part in SYSTEM_SENDERS:
		return f"sender {sender}"
	return None


def _header(mail: Message, name: str) -> str:
	return str(mail.get(name) or "").strip().lower()
