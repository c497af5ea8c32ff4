"""The generated columns and indexes the analytics read (support_plus.analytics.kpis): each column, read
from every index that holds it, equals its expression over the ticket's own columns, after changes made
through Frappe and through plain SQL (one rule in two forms); migrate leaves every index as defined."""

import frappe

from support_plus.analytics import kpis
from support_plus.install import after_migrate
from support_plus.tests.analytics_fixtures import CUSTOMER, AnalyticsDataCase
from support_plus.tests.utils import SupportTestCase


def index_columns(name: str) -> list[str]:
	return frappe.db.sql_list(
		"""select column_name from information_schema.statistics where table_schema = database()
		and table_name = 'tabIssue' and index_name = %s order by seq_in_index""",
		name,
	)


class TestGeneratedColumns(AnalyticsDataCase):
	def assert_indexes_hold_the_expressions(self):
		names = set(frappe.db.sql_list("select name from `tabIssue` where customer = %s", CUSTOMER))
		expressions = ", ".join(f"{expression}" for _type, expression in kpis.GENERATED_COLUMNS.values())
		computed = {
			row[0]: row[1:]
			for row in frappe.db.sql(f"select name, {expressions} from `tabIssue` force index (primary)")
			if row[0] in names
		}
		self.assertEqual(len(computed), len(names))
		checked = 0
		for index, columns in kpis.INDEXES.items():
			generated = [column for column in columns if column in kpis.GENERATED_COLUMNS]
			if not generated:
				continue
			# Only the index's own columns: MariaDB answers from the index, not from the rows.
			plan = frappe.db.sql(
				f"explain select name, {', '.join(generated)} from `tabIssue` force index (`{index}`)",
				as_dict=True,
			)[0]
			self.assertIn("Using index", plan.Extra, index)
			for name, *values in frappe.db.sql(
				f"select name, {', '.join(generated)} from `tabIssue` force index (`{index}`)"
			):
				if name not in names:
					continue
				for column, value in zip(generated, values, strict=True):
					expected = computed[name][list(kpis.GENERATED_COLUMNS).index(column)]
					self.assertEqual(value, expected, (index, column, name))
					checked += 1
		self.assertGreater(checked, 100)

	def test_columns_follow_changes_through_frappe_and_sql(self):
		self.assert_indexes_hold_the_expressions()
		t5, t1 = self.names["T5"], self.names["T1"]
		# Through Frappe: a first response and a resolution are stamped, a business-time response set.
		frappe.db.set_value(
			"Issue",
			t5,
			{"first_response_time": 5400, "resolved_on": "2026-03-10 12:00:00"},
			update_modified=False,
		)
		doc = frappe.get_doc("Issue", t1)
		doc.db_set("first_responded_on", "2026-03-09 09:30:00", update_modified=False)
		# Through plain SQL: the opening moves, the assignment is replaced, the response is cleared.
		frappe.db.sql(
			"""update `tabIssue` set creation = creation - interval 1 day, _assign = %s,
			first_response_time = 0 where name = %s""",
			('["someone@example.com"]', t1),
		)
		self.assert_indexes_hold_the_expressions()
		self.assertEqual(frappe.db.get_value("Issue", t1, kpis.FIRST_ASSIGNEE_COLUMN), "someone@example.com")


class TestAnalyticsIndexes(SupportTestCase):
	"""Apart from the data set: migrate's DDL commits."""

	def test_migrate_leaves_every_index_as_defined(self):
		after_migrate()
		for name, columns in kpis.INDEXES.items():
			self.assertEqual(index_columns(name), columns, name)
			# Frappe's schema sync drops a one-column index of a field that is no search index.
			self.assertGreater(len(columns), 1, name)
		on_site = frappe.db.sql(
			"""select column_name, column_comment from information_schema.columns
			where table_schema = database() and table_name = 'tabIssue' and column_name like 'sp\\_%%'
			and generation_expression is not null""",
			as_dict=True,
		)
		self.assertEqual({row.column_name for row in on_site}, set(kpis.GENERATED_COLUMNS))
