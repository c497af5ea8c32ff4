"""Idempotent demo data for support.localhost: `bench --site support.localhost support-plus-demo`.

Every record is looked up by a natural key before it is made, so running it again changes nothing.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate, now_datetime, today

from support_plus.analytics import rollup
from support_plus.demo import data
from support_plus.demo.billing import make_billing_demo
from support_plus.demo.field_service import TECHNICIANS, make_field_service
from support_plus.demo.maintenance import make_maintenance
from support_plus.demo.maintenance import sold_on as unit_sold_on
from support_plus.demo.stories import Step, plan
from support_plus.demo.vans import make_vans
from support_plus.setup.company import ensure_setup_complete
from support_plus.setup.masters import ensure_issue_priorities, tree_leaf
from support_plus.sla.backfill import backfill
from support_plus.tickets.conversation import post_message
from support_plus.tickets.follow_ups import refresh_overdue
from support_plus.tickets.lifecycle import (
	ACTIVE,
	CANCELLED,
	CLOSED,
	IN_PROGRESS,
	PENDING_CUSTOMER,
	PENDING_PARTS,
	REPLIED,
	RESOLVED,
)
from support_plus.tickets.rating import record_rating

SLA_NAME = "Standard Support"


def make_demo(progress: Callable[[Iterable, str], Iterable] | None = None) -> dict:
	"""Create the demo data; `progress(iterable, label)` wraps each step's loop (e.g. a progress bar)."""
	progress = progress or (lambda items, label: items)
	company = ensure_setup_complete(
		data.COMPANY["company_name"],
		data.COMPANY["abbr"],
		currency=data.COMPANY["currency"],
		country=data.COMPANY["country"],
	)
	ensure_issue_priorities()
	for name in progress(data.ISSUE_TYPES, "Issue types"):
		_ensure("Issue Type", name, {"name": name})
	holiday_list = _holiday_list(company)
	_sla(holiday_list)
	contacts = {c[0]: _customer(*c) for c in progress(data.CUSTOMERS, "Customers and contacts")}
	for product in progress(data.PRODUCTS, "Products and serial numbers"):
		_product(company, *product)
	_desk_user(*data.SITE_ADMIN, role="System Manager")
	agents = [_desk_user(*a) for a in progress(data.AGENTS, "Support agents")]
	created, now = 0, now_datetime()
	for i in progress(range(data.ISSUE_COUNT), "Issues (60 days)"):
		created += _issue(i, contacts, agents, now)
	refresh_overdue()
	field_service = make_field_service(company, holiday_list, _desk_user)
	field_service.update(make_vans(company, [t[2] for t in TECHNICIANS], progress))
	maintenance = make_maintenance(company, progress)  # after the technicians: they take the visits
	field_service.update(make_billing_demo(company))  # parts on two repairs, one of them invoiced
	_escalation_rules()
	_portal_user(contacts[data.CUSTOMERS[0][0]])
	for article in progress(data.KB_ARTICLES, "Knowledge base"):
		_kb_article(*article)
	backfill(progress)  # demo sites made before the SLA engine
	frappe.db.commit()  # nosemgrep: a CLI command owns its transaction
	return {"issues_created": created, "issues": frappe.db.count("Issue"), **field_service, **maintenance}


def _ensure(doctype: str, name: str, values: dict) -> str:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)
	return name


def _holiday_list(company: str) -> str:
	year = getdate(today()).year
	name = f"Support Plus {year}"
	if not frappe.db.exists("Holiday List", name):
		doc = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": name,
				"from_date": f"{year}-01-01",
				"to_date": f"{year + 1}-12-31",
				"holidays": [
					{"holiday_date": f"{y}-{md}", "description": desc}
					for y in (year, year + 1)
					for md, desc in (("01-01", "New Year's Day"), ("12-25", "Christmas Day"))
				],
			}
		)
		for day in ("Saturday", "Sunday"):
			doc.weekly_off = day
			doc.get_weekly_off_dates()
		doc.insert(ignore_permissions=True)
	if not frappe.db.get_value("Company", company, "default_holiday_list"):
		frappe.db.set_value("Company", company, "default_holiday_list", name)
	return name


def _sla(holiday_list: str) -> None:
	frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
	if frappe.db.exists("Service Level Agreement", {"service_level": SLA_NAME}):
		return
	frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": SLA_NAME,
			"document_type": "Issue",
			"default_service_level_agreement": 1,
			"default_priority": "Medium",
			"holiday_list": holiday_list,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": priority,
					"response_time": response * 3600,
					"resolution_time": resolution * 3600,
					"default_priority": int(priority == "Medium"),
				}
				for priority, (response, resolution) in data.SLA_HOURS.items()
			],
			"support_and_resolution": [
				{"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
			"sla_fulfilled_on": [{"status": "Resolved"}, {"status": "Closed"}],
			"pause_sla_on": [{"status": "On Hold"}],
		}
	).insert(ignore_permissions=True)


def _customer(name: str, group: str, first_name: str, last_name: str, email: str) -> dict:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": group
				if frappe.db.exists("Customer Group", group)
				else tree_leaf("Customer Group"),
				"territory": tree_leaf("Territory"),
			}
		).insert(ignore_permissions=True, set_name=name)
	contact = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	if not contact:
		contact = (
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": first_name,
					"last_name": last_name,
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"links": [{"link_doctype": "Customer", "link_name": name}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	return {"customer": name, "contact": contact, "email": email}


def _product(company: str, item_code: str, item_name: str, prefix: str, warranty_months: int) -> None:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_name,
				"item_group": "Products"
				if frappe.db.exists("Item Group", "Products")
				else tree_leaf("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"has_serial_no": 1,
				"serial_no_series": f"{prefix}.#####",
				"warranty_period": warranty_months * 30,
			}
		).insert(ignore_permissions=True)
	# Eight units sold over the last three years: the older ones are out of warranty.
	for n in range(1, 9):
		serial = f"{prefix}{n:05d}"
		if frappe.db.exists("Serial No", serial):
			continue
		sold_on = unit_sold_on(n)
		frappe.get_doc(
			{
				"doctype": "Serial No",
				"serial_no": serial,
				"item_code": item_code,
				"company": company,
				"warranty_period": warranty_months * 30,
				"warranty_expiry_date": add_months(sold_on, warranty_months),
			}
		).insert(ignore_permissions=True)


def _portal_user(who: dict) -> None:
	"""The first customer's contact can log in to /support."""
	from frappe.utils.password import update_password

	email = who["email"]
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0].split(".")[0].title(),
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		update_password(email, data.PORTAL_PASSWORD)
	frappe.db.set_value("Contact", who["contact"], "user", email)


def _kb_article(title: str, content: str, audience: str) -> None:
	if not frappe.db.exists("Help Category", {"category_name": data.KB_CATEGORY}):
		frappe.get_doc(
			{"doctype": "Help Category", "category_name": data.KB_CATEGORY, "published": 1}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Help Article", {"title": title}):
		frappe.get_doc(
			{
				"doctype": "Help Article",
				"title": title,
				"content": content,
				"category": frappe.db.get_value("Help Category", {"category_name": data.KB_CATEGORY}),
				"published": 1,
				"portal_audience": audience,
			}
		).insert(ignore_permissions=True)


def _escalation_rules() -> None:
	"""Three levels: warn at 80% of the response time, reassign at the resolution breach, raise later."""
	manager = _desk_user("Nadia", "Rahman", "nadia.rahman@support-plus.example", role="Support Manager")
	for name, values in (
		(
			"Warn at 80% of response",
			{
				"clock": "Response",
				"threshold_percent": 80,
				"notify": [{"recipient_type": "Role", "role": "Support Manager"}],
			},
		),
		(
			"Reassign at resolution breach",
			{
				"clock": "Resolution",
				"threshold_percent": 100,
				"reassign_to_user": manager,
				"create_todo": 1,
				"notify": [{"recipient_type": "Role", "role": "Support Manager"}],
			},
		),
		(
			"Raise priority at 150% of resolution",
			{"clock": "Resolution", "threshold_percent": 150, "raise_priority_to": "High"},
		),
	):
		_ensure("Support Escalation Rule", name, {"rule_name": name, **values})


def _desk_user(first_name: str, last_name: str, email: str, role: str = "Support Agent") -> str:
	"""A desk user holding exactly `role` (demo sites made earlier lose System Manager and Support Team)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
				"user_type": "System User",
				"roles": [{"role": role}],
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	if [r.role for r in user.roles] != [role]:
		user.set("roles", [{"role": role}])
		user.save(ignore_permissions=True)
	return email


def _issue(i: int, contacts: dict, agents: list[str], now: datetime) -> int:
	"""Play the i-th demo ticket's story (demo/stories.py) up to now unless it exists; 1 when made."""
	subject, issue_type, _priority, product = data.PROBLEMS[i % len(data.PROBLEMS)]
	# every (problem, customer) pair at most once: the natural key of a demo ticket
	customer = data.CUSTOMERS[(i + 3 * (i // len(data.PROBLEMS))) % len(data.CUSTOMERS)][0]
	who = contacts[customer]
	if frappe.db.exists("Issue", {"subject": subject, "customer": customer}):
		return 0
	steps = [step for step in plan(i, data.ISSUE_COUNT, now) if step.at <= now]
	agent = agents[i % len(agents)]
	issue = None
	try:
		for step in steps:
			frappe.flags.current_time = step.at
			issue = _play(step, issue, i, subject, issue_type, product, who, agent)
	finally:
		frappe.flags.current_time = None
	opened = steps[0].at
	frappe.db.set_value(
		"Issue",
		issue.name,
		{"creation": opened, "opening_date": opened.date(), "opening_time": opened.time()},
		update_modified=False,
	)
	rollup.refresh(issue.name)  # backdated with SQL: the per-day totals follow
	if issue.status in ACTIVE and i % 3 == 0:
		note, days = data.FOLLOW_UPS[i % len(data.FOLLOW_UPS)]
		frappe.get_doc(
			{
				"doctype": "Issue Follow Up",
				"issue": issue.name,
				"note": note,
				"follow_up_date": add_days(today(), days),
			}
		).insert(ignore_permissions=True)
	return 1


def _play(
	step: Step, issue, i: int, subject: str, issue_type: str, product: str | None, who: dict, agent: str
):
	"""One step of a story, at its own time (frappe.flags.current_time); returns the ticket."""
	from frappe.desk.form.assign_to import add as assign

	if step.action == "open":
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"customer": who["customer"],
				"contact": who["contact"],
				"raised_by": who["email"],
				"issue_type": issue_type,
				"priority": step.values["priority"],
				"channel": data.CHANNELS[i % len(data.CHANNELS)],
				"item_code": product,
				"description": f"<p>{subject}.</p><p>Reported by {who['email']}"
				+ (f" for our {product} unit." if product else ".")
				+ "</p>",
			}
		).insert(ignore_permissions=True)
		assign({"assign_to": [agent], "doctype": "Issue", "name": issue.name})
		return issue
	if step.action in ("reply", "customer_reply"):
		if step.action == "reply":  # the answer is the ticket's first response: its status says so first
			issue = _status(issue, REPLIED)
			_message(issue, step, agent, data.REPLIES[i % len(data.REPLIES)], sent=True)
		else:  # the reopen rules move the ticket
			_message(
				issue, step, who["email"], data.CUSTOMER_REPLIES[i % len(data.CUSTOMER_REPLIES)], sent=False
			)
		issue.reload()
		return issue
	values = {
		"work": {"status": IN_PROGRESS},
		"wait_customer": {"status": PENDING_CUSTOMER},
		"parts": {"status": PENDING_PARTS},
		"resolve": {"status": RESOLVED, "resolution_details": data.RESOLUTIONS[i % len(data.RESOLUTIONS)]},
		"close": {"status": CLOSED},
		"cancel": {"status": CANCELLED, "cancel_reason": "Duplicate of an earlier ticket."},
	}[step.action]
	issue = _status(issue, **values)
	if step.action == "close" and step.values.get("rating"):
		record_rating(issue, step.values["rating"], data.FEEDBACK.get(step.values["rating"]))
	return issue


def _status(issue, status: str, **values):
	issue.reload()
	if issue.status != status:
		issue.update({"status": status, **values})
		issue.save(ignore_permissions=True)
	return issue


def _message(issue, step: Step, sender: str, text: str, sent: bool) -> None:
	comm = post_message(
		issue,
		f"<p>{text}</p>",
		sender,
		sent=sent,
		recipients=issue.raised_by if sent else None,
		communication_date=step.at,
	)
	frappe.db.set_value("Communication", comm.name, "creation", step.at, update_modified=False)
