"""bench commands of support_plus."""

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


commands = [support_plus_demo, support_plus_sla_backfill]
