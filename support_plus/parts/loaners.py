"""Loaners: equipment lent to a customer while theirs is repaired (a Service Part Usage of type Loaner).

Lending is a Material Transfer from the van (or the chosen warehouse) to "Loaners at Customers", with an
expected return date (support_plus.parts.usage). `return_loaner` moves it back where it came from; a
daily job flags the loaners not back by their date and tells the technician (or whoever lent it) once:
the flag is set under a row lock, so a rerun or a second worker tells nobody twice.
"""

import frappe
from frappe import _
from frappe.utils import flt, formatdate, getdate

from support_plus.parts import moves, usage
from support_plus.tickets import timeline
from support_plus.utils import clock


def return_loaner(name: str, returned_on=None) -> str:
	"""The loaner is back: a Material Transfer to the warehouse it was lent from; the Stock Entry's name."""
	if not name or not frappe.db.exists("Service Part Usage", name):
		frappe.throw(
			_("Part usage {0} does not exist.").format(frappe.bold(name or "")), frappe.DoesNotExistError
		)
	frappe.db.savepoint("sp_return_loaner")
	try:
		doc = frappe.get_doc("Service Part Usage", name, for_update=True)
		doc.check_permission("read")
		usage.check_access(doc)
		if doc.docstatus != 1 or doc.usage_type != usage.LOANER:
			frappe.throw(_("{0} is not a loaner that was lent.").format(frappe.bold(name)))
		if doc.returned_on or doc.loaner_return_entry:
			frappe.throw(
				_("Loaner {0} was already returned on {1}.").format(
					frappe.bold(name), formatdate(doc.returned_on)
				)
			)
		day = getdate(returned_on) if returned_on else clock.today()
		if day < getdate(doc.posting_date):
			frappe.throw(_("A loaner cannot come back before it was lent."))
		source = moves.special_warehouse(doc.company, moves.LOANERS)
		serials = moves.parse_serials(doc.serial_no)
		moves.lock_stock(doc.item_code, source, flt(doc.qty), serials)
		entry = moves.make_entry(
			"Material Transfer",
			doc.company,
			doc.item_code,
			flt(doc.qty),
			source=source,
			target=doc.warehouse,
			serials=serials,
			batch_no=doc.batch_no,
			link=(usage.LINK_FIELD, doc.name),
			remarks=_("Loaner back from the customer ({0})").format(doc.name),
		)
		doc.db_set({"returned_on": day, "loaner_return_entry": entry.name, "loaner_overdue": 0})
	except Exception:
		usage._undo("sp_return_loaner")
		raise
	return entry.name


def overdue_loaners(day) -> list[str]:
	return frappe.get_all(
		"Service Part Usage",
		filters={
			"docstatus": 1,
			"usage_type": usage.LOANER,
			"returned_on": ("is", "not set"),
			"loaner_overdue": 0,
			"expected_return_date": ("<", getdate(day)),
		},
		pluck="name",
		order_by="expected_return_date asc",
	)


def flag_overdue(day=None) -> dict:
	"""Flag the loaners due back before `day` (default today) and not back, and notify; {"flagged", "failed"}."""
	day = getdate(day) if day else clock.today()
	flagged = failed = 0
	for name in overdue_loaners(day):
		frappe.db.savepoint("sp_overdue_loaner")
		try:
			flagged += _flag(name)
		except Exception:
			frappe.db.rollback(save_point="sp_overdue_loaner")
			frappe.log_error(
				title=_("Overdue loaner {0} could not be flagged").format(name),
				reference_doctype="Service Part Usage",
				reference_name=name,
			)
			failed += 1
	return {"flagged": flagged, "failed": failed}


def _flag(name: str) -> int:
	row = frappe.db.sql(
		"""select loaner_overdue, returned_on, technician, owner, issue, item_name, item_code,
		expected_return_date from `tabService Part Usage` where name = %s for update""",
		name,
		as_dict=True,
	)[0]
	if row.loaner_overdue or row.returned_on:
		return 0  # another run got here first
	frappe.db.set_value("Service Part Usage", name, "loaner_overdue", 1, update_modified=False)
	user = (row.technician and frappe.db.get_value("Service Technician", row.technician, "user")) or row.owner
	subject = _("Loaner {0} ({1}) was due back on {2}").format(
		row.item_name or row.item_code, row.issue or name, formatdate(row.expected_return_date)
	)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"subject": frappe.utils.escape_html(subject),
			"document_type": "Service Part Usage",
			"document_name": name,
		}
	).insert(ignore_permissions=True)
	if row.issue:
		timeline.add_info(row.issue, frappe.utils.escape_html(subject))
	return 1


def daily_flag_overdue_loaners() -> None:
	"""Scheduler (daily)."""
	flag_overdue()
	frappe.db.commit()  # nosemgrep: the scheduler's unit of work
