"""The demo's two months of tickets look like a real support team's (support_plus/demo/stories.py)."""

from collections import Counter
from datetime import datetime, timedelta

from frappe.tests.utils import FrappeTestCase

from support_plus.demo.data import ISSUE_COUNT
from support_plus.demo.stories import DAYS, plan

NOW = datetime(2026, 11, 30, 10, 0)


class TestDemoStories(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.stories = [plan(i, ISSUE_COUNT, NOW) for i in range(ISSUE_COUNT)]

	def test_each_story_is_in_order_and_starts_by_opening(self):
		for steps in self.stories:
			self.assertEqual(steps[0].action, "open")
			self.assertEqual([s.at for s in steps], sorted(s.at for s in steps))
			self.assertIn(steps[-1].action, ("close", "cancel"))

	def test_tickets_arrive_over_the_whole_period_mostly_in_working_hours(self):
		opened = [steps[0].at for steps in self.stories]
		self.assertGreaterEqual(min(opened), NOW - timedelta(days=DAYS + 3))
		self.assertLessEqual(max(opened), NOW)
		weeks = Counter((NOW - at).days // 7 for at in opened)
		self.assertGreaterEqual(len(weeks), 8, "every week of the period has tickets")
		in_hours = sum(at.weekday() < 5 and 8 <= at.hour < 18 for at in opened)
		self.assertGreater(in_hours / len(opened), 0.8)
		self.assertLess(in_hours, len(opened), "some arrive at night or at the weekend")

	def test_a_mix_of_outcomes_as_a_manager_would_see_it(self):
		done_by_now = [steps for steps in self.stories if steps[-1].at <= NOW]
		still_open = [steps for steps in self.stories if steps[-1].at > NOW]
		self.assertTrue(done_by_now and still_open)
		actions = Counter(s.action for steps in self.stories for s in steps)
		self.assertGreater(actions["cancel"], 0)
		self.assertGreater(actions["parts"], 0)
		self.assertGreater(actions["wait_customer"], 0)
		reopened = sum(sum(s.action == "resolve" for s in steps) > 1 for steps in self.stories)
		self.assertGreater(reopened, 0)
		ratings = Counter(
			s.values.get("rating") for steps in self.stories for s in steps if s.action == "close"
		)
		self.assertGreater(ratings[5], ratings[1])
		self.assertGreater(ratings[None], 0, "not every customer rates")

	def test_the_same_seed_gives_the_same_story(self):
		self.assertEqual(plan(7, ISSUE_COUNT, NOW), plan(7, ISSUE_COUNT, NOW))
