"""Jobs of the scripting API run at a given `now` from Python only: over HTTP a manager cannot name a
future time to fire escalations or close tickets early."""

from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, MANAGER, SupportTestCase

JOBS = ("support_plus.api.sla_sweep", "support_plus.api.auto_close")


class TestNowOverHttp(SupportTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = SiteServer.get()
		cls.manager = cls.server.login(MANAGER)
		cls.agent = cls.server.login(AGENT)

	def call(self, session, method, **body):
		return session.post(f"{self.server.url}/api/method/{method}", json=body, timeout=60)

	def test_a_manager_runs_the_jobs_at_the_current_time_only(self):
		for method in JOBS:
			with self.subTest(method=method):
				early = self.call(self.manager, method, now="2099-01-01 00:00:00")
				self.assertEqual(early.status_code, 403, early.text)
				self.assertIn("runs at the current time", early.text)
				self.assertNotIn("message", early.json(), "the job did not run")
				current = self.call(self.manager, method)
				self.assertEqual(current.status_code, 200, current.text)
				self.assertIsInstance(current.json()["message"], dict)

	def test_an_agent_runs_neither(self):
		for method in JOBS:
			with self.subTest(method=method):
				self.assertEqual(self.call(self.agent, method).status_code, 403)
