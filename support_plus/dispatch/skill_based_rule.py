"""The "Skill Based" Assignment Rule: the Assignment Rule class support_plus installs (hooks.py,
override_doctype_class) to add one rule kind that picks with the routing engine.

Follows Frappe 15.44.2 `frappe/automation/doctype/assignment_rule/assignment_rule.py`. Frappe chooses a
rule's user in `AssignmentRule.get_user(doc)`, called by `do_assignment` once the rule's conditions,
priority and days have selected it; no hook reaches that choice, so this subclass adds one branch:

- **Skill Based**: among the rule's users, the best technician by support_plus.dispatch.routing.rank
  (Active, with the ticket's skill and level, below capacity, working or on call, ranked, rows locked until
  commit). Nobody eligible: no user, and Frappe goes on to the next rule, as when any rule does not apply.

Round Robin, Load Balancing and Based on Field are Frappe's own methods, untouched. The option is added to
the `rule` Select by a property setter (support_plus/setup/customizations.py). `check_versions` refuses a
Frappe of another major version at install and migrate; tests/test_assignment_rules.py compares the other
kinds with Frappe's class and checks the override is in place.
"""

import frappe
from frappe import _
from frappe.automation.doctype.assignment_rule.assignment_rule import AssignmentRule

from support_plus.dispatch import routing

SKILL_BASED = "Skill Based"
RULE_OPTIONS = ("Round Robin", "Load Balancing", "Based on Field", SKILL_BASED)


class SupportAssignmentRule(AssignmentRule):
	def validate(self):
		super().validate()
		if self.rule == SKILL_BASED and self.document_type != "Issue":
			frappe.throw(_("A Skill Based rule assigns tickets: its document type must be Issue."))

	def get_user(self, doc):
		if self.rule == SKILL_BASED:
			return self.get_user_skill_based(doc)
		return super().get_user(doc)

	def get_user_skill_based(self, doc) -> str | None:
		issue = doc.get("name")
		ranking = routing.rank(issue, lock=True, users=[d.user for d in self.users])
		if not ranking.candidates:
			return None
		best = ranking.candidates[0]
		frappe.get_doc("Issue", issue).add_comment(
			"Info",
			_("Assignment Rule {0} routed the ticket to {1}: {2}").format(
				self.name, best.full_name, "; ".join(best.reasons)
			),
		)
		return best.user
