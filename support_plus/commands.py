"""bench commands of support_plus."""

import time
from contextlib import contextmanager

import click

from frappe.commands import get_site, pass_context


@click.command("support-plus-demo")
@pass_context
def support_plus_demo(context):
	"""Load the demo data (company, customers, products, SLA, agents, issues); safe to run again."""
	import frappe

	from support_plus.demo.loader import make_demo

	with connected(context):
		result = make_demo(progress)
	click.secho(f"Demo data ready: {result['issues']} issues ({result['issues_created']} new).", fg="green")
	click.secho(
		f"Maintenance: {result['contracts']} new service contracts, "
		f"{result['overdue_maintenance']} overdue visits (report Overdue Maintenance).",
		fg="green",
	)
	click.secho(
		f"Parts: {result.get('billing_tickets', 0)} new repair tickets with parts, "
		f"{result.get('service_invoices', 0)} draft service invoices, {result.get('loaners_out', 0)} loaner out.",
		fg="green",
	)


@click.command("support-plus-sla-backfill")
@pass_context
def support_plus_sla_backfill(context):
	"""Give tickets made before the SLA engine (or while tracking was off) their SLA state; idempotent."""
	import frappe

	from support_plus.sla.backfill import backfill

	with connected(context):
		count = backfill(progress)
		frappe.db.commit()
	click.secho(f"SLA state computed for {count} tickets.", fg="green")


@click.command("support-plus-mail-sink")
@click.option("--port", default=2525, show_default=True, help="The loopback port to listen on.")
@pass_context
def support_plus_mail_sink(context, port):
	"""Keep the site's outgoing mail on this machine: a local SMTP sink, made the default outgoing
	account. Each email is printed and saved under sites/SITE/private/mail-sink/. Stop with Ctrl+C."""
	import frappe

	from support_plus.demo.mail_sink import SmtpSink, use_sink

	def show(message, path):
		click.echo(f"{message['Date']}  {message['From']} -> {message['To']}: {message['Subject']}  ({path})")

	with connected(context):
		directory = frappe.get_site_path("private", "mail-sink")
		sink = SmtpSink(port, directory, show)
		account = use_sink(sink.port)
		frappe.db.commit()
	click.secho(
		f"Email Account {account!r} now sends to 127.0.0.1:{sink.port}; mail is kept in {directory}.\n"
		"Frappe sends queued mail from its scheduler: keep `bench start` running. Ctrl+C stops the sink.",
		fg="green",
	)
	try:
		while True:
			time.sleep(3600)
	except KeyboardInterrupt:
		sink.stop()


@contextmanager
def connected(context):
	"""The command's site, connected for the block."""
	import frappe

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		yield
	finally:
		frappe.destroy()


def progress(items, label):
	items = list(items)
	with click.progressbar(items, label=f"{label:<28}", show_pos=True) as bar:
		yield from bar


commands = [support_plus_demo, support_plus_sla_backfill, support_plus_mail_sink]
