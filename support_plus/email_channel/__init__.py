"""The email channel: support Email Accounts (append to Issue) turned into a helpdesk inbox.

- automated.py: which incoming messages are bounces or auto-replies (never a ticket, never answered).
- inbound.py: how one incoming message becomes a ticket or a message on one (SupportInboundMail), and
  where a message that cannot be read is kept.
- account.py: the Email Account class that pulls mail through them.
- thread_headers.py: In-Reply-To and References on every email sent about a ticket.
"""
