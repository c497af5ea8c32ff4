"""SLAs for tests: a Berlin support desk on the New York test site, and helpers to pin time."""

import frappe

from support_plus.sla.config import clear_config_cache
from support_plus.tests.utils import SupportTestCase

HOLIDAY_LIST = "SP Test Berlin Holidays"
HOURS = 3600


def make_holiday_list(holidays=("2026-03-04",)) -> str:
	if not frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": HOLIDAY_LIST,
				"from_date": "2026-01-01",
				"to_date": "2027-12-31",
				"holidays": [{"holiday_date": d, "description": "Test holiday"} for d in holidays],
			}
		).insert(ignore_permissions=True)
	return HOLIDAY_LIST


def make_sla(
	service_level: str,
	*,
	default: bool = False,
	entity_type: str | None = None,
	entity: str | None = None,
	condition: str | None = None,
	timezone: str = "Europe/Berlin",
	priorities: dict | None = None,
	pause: tuple = ("On Hold", "Pending Customer"),
	fulfilled: tuple = ("Resolved", "Closed"),
) -> str:
	"""Monday to Friday 09:00-18:00 in `timezone`; Medium 4h/16h and High 1h/8h by default."""
	priorities = priorities or {"Medium": (4, 16), "High": (1, 8)}
	doc = frappe.get_doc(
		{
			"doctype": "Service Level Agreement",
			"service_level": service_level,
			"document_type": "Issue",
			"default_service_level_agreement": int(default),
			"default_priority": "Medium" if "Medium" in priorities else next(iter(priorities)),
			"holiday_list": make_holiday_list(),
			"timezone": timezone,
			"entity_type": entity_type,
			"entity": entity,
			"condition": condition,
			"apply_sla_for_resolution": 1,
			"priorities": [
				{
					"priority": p,
					"response_time": r * HOURS,
					"resolution_time": s * HOURS,
					"default_priority": int(
						p == ("Medium" if "Medium" in priorities else next(iter(priorities)))
					),
				}
				for p, (r, s) in priorities.items()
			],
			"support_and_resolution": [
				{"workday": day, "start_time": "09:00:00", "end_time": "18:00:00"}
				for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
			],
			"sla_fulfilled_on": [{"status": s} for s in fulfilled],
			"pause_sla_on": [{"status": s} for s in pause],
		}
	).insert(ignore_permissions=True)
	return doc.name


class SlaTestCase(SupportTestCase):
	"""SLA tracking on, only SLAs made by the test enabled, caches fresh; all of it rolled back after."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 1)
		frappe.db.delete(
			"Service Level Agreement", {"service_level": ("like", "SP %")}
		)  # left by a killed run
		frappe.db.set_value("Service Level Agreement", {"enabled": 1}, "enabled", 0)
		clear_config_cache()

	@classmethod
	def tearDownClass(cls):
		# Drop the class's SLAs and settings, then make sure tracking is off for good, even when a test
		# had to commit (other processes must see its data): other tests assume no SLA applies.
		frappe.db.rollback()
		frappe.db.set_single_value("Support Settings", "track_service_level_agreement", 0)
		frappe.db.commit()  # nosemgrep
		clear_config_cache()
		frappe.cache.hdel("service_level_agreement", "active")
		super().tearDownClass()

	# Each test starts from the class's SLAs; a test that commits (other processes must see its data)
	# cleans up after itself and sets this False.
	isolate_tests = True

	def setUp(self):
		if self.isolate_tests:
			frappe.db.savepoint("support_plus_sla_test")

	def tearDown(self):
		if self.isolate_tests:
			frappe.db.rollback(save_point="support_plus_sla_test")
		clear_config_cache()
		super().tearDown()

	def at(self, when: str):
		frappe.flags.current_time = when
		return self

	def ticket(self, when: str, **values):
		self.at(when)
		return frappe.get_doc(
			{"doctype": "Issue", "subject": "SLA test", "priority": "Medium", **values}
		).insert()

	def move(self, doc, when: str, status: str, **values):
		self.at(when)
		doc.reload()
		doc.update({"status": status, **values})
		doc.save()
		return doc
