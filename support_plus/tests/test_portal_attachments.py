"""Active content and markup on the portal, through a real web server: the upload allowlist, files served
as downloads, malformed attachments answered 4xx, and the ticket page's title escaped."""

import base64
import json

import frappe

from support_plus.tests.http import SiteServer
from support_plus.tests.test_portal import ANNA, PortalTestCase, ticket_for
from support_plus.tests.utils import AGENT

SCRIPT = b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(document.cookie)</script></html>'


def b64(content: bytes) -> str:
	return base64.b64encode(content).decode()


class TestPortalAttachmentsOverHttp(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = SiteServer.get()
		marker = frappe.generate_hash(length=12).encode()  # Frappe shares files of equal content
		cls.xhtml = cls.attach_file(cls.anna_ticket, "from-email.xhtml", SCRIPT + marker)
		cls.png = cls.attach_file(cls.anna_ticket, "photo.png", b"\x89PNG\r\n\x1a\n" + marker)
		# Frappe sanitizes a Data field on save; a script or an import writes what it likes.
		cls.desk_subject = ticket_for(ANNA, cls.alpha, "Imported ticket")
		frappe.db.set_value("Issue", cls.desk_subject, "subject", "</title><img src=x onerror=alert(1)>")
		frappe.db.commit()  # nosemgrep
		cls.anna = cls.server.login(ANNA)
		cls.agent = cls.server.login(AGENT)

	@staticmethod
	def attach_file(ticket, name, content):
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": name,
				"content": content,
				"attached_to_doctype": "Issue",
				"attached_to_name": ticket,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)

	def call(self, method, **body):
		return self.anna.post(
			f"{self.server.url}/api/method/support_plus.api.portal.{method}", json=body, timeout=30
		)

	def anna_tickets(self):
		frappe.db.rollback()  # see what the server committed
		return frappe.db.count("Issue", {"raised_by": ANNA})

	def test_active_content_is_refused_and_allowed_types_are_kept(self):
		before = self.anna_tickets()
		for name in ("invoice.xhtml", "page.html", "logo.svg", "run.js", "noextension"):
			with self.subTest(name=name):
				response = self.call(
					"create_ticket",
					subject="With a file",
					description="See the file",
					attachments=[{"filename": name, "data": b64(SCRIPT)}],
				)
				self.assertEqual(response.status_code, 417, response.text)
				self.assertIn("you can only attach", response.text)
				comment = self.call(
					"add_comment",
					ticket=self.anna_ticket,
					message="Another file",
					attachments=json.dumps([{"filename": name, "data": b64(SCRIPT)}]),
				)
				self.assertEqual(comment.status_code, 417, comment.text)
		self.assertEqual(self.anna_tickets(), before, "no ticket without its attachments")
		self.assertFalse(frappe.db.exists("File", {"file_name": "invoice.xhtml"}))

		files = [f"scan-{frappe.generate_hash(length=8)}.pdf", f"notes-{frappe.generate_hash(length=8)}.txt"]
		kept = self.call(
			"create_ticket",
			subject="Photos",
			description="Two files",
			attachments=[{"filename": n, "data": b64(n.encode())} for n in files],
		)
		self.assertEqual(kept.status_code, 200, kept.text)
		name = kept.json()["message"]["name"]
		frappe.db.rollback()
		self.assertEqual(
			sorted(frappe.get_all("File", filters={"attached_to_name": name}, pluck="file_name")),
			sorted(files),
		)

	def test_malformed_attachments_are_a_clear_4xx(self):
		before = self.anna_tickets()
		for attachments in (
			"not json",
			json.dumps({"filename": "a.txt", "data": b64(b"x")}),  # not a list
			json.dumps([["a.txt", b64(b"x")]]),  # not objects
			json.dumps([{"filename": "a.txt"}]),  # no content
			json.dumps([{"data": b64(b"x")}]),  # no name
			json.dumps([{"filename": "a.txt", "data": "@@not base64@@"}]),
			json.dumps([{"filename": "a.txt", "data": ""}]),  # empty
		):
			with self.subTest(attachments=attachments):
				response = self.call(
					"create_ticket", subject="Broken", description="x", attachments=attachments
				)
				self.assertEqual(response.status_code, 417, response.text)
				self.assertEqual(response.json()["exc_type"], "ValidationError")
				comment = self.call(
					"add_comment", ticket=self.anna_ticket, message="x", attachments=attachments
				)
				self.assertEqual(comment.status_code, 417, comment.text)
		self.assertEqual(self.anna_tickets(), before)

	def test_downloads_are_downloads_and_missing_files_are_4xx(self):
		url = f"{self.server.url}/api/method/support_plus.api.portal.download_attachment"
		own = self.anna.get(url, params={"file": self.xhtml.name}, timeout=30)
		self.assertEqual(own.status_code, 200)
		self.assertTrue(own.headers["Content-Disposition"].startswith("attachment"))
		self.assertEqual(own.headers["Content-Type"].split(";")[0], "application/octet-stream")
		self.assertEqual(own.content[: len(SCRIPT)], SCRIPT)

		missing = self.anna.get(url, timeout=30)
		self.assertEqual(missing.status_code, 417, missing.text)
		self.assertEqual(missing.json()["exc_type"], "ValidationError")
		for bad in ("no-such-file", "../../site_config.json"):
			response = self.anna.get(url, params={"file": bad}, timeout=30)
			self.assertEqual(response.status_code, 404, response.text)

	def test_private_files_that_could_run_script_are_downloads_in_the_desk(self):
		active = self.agent.get(self.server.url + self.xhtml.file_url, timeout=30)
		self.assertEqual(active.status_code, 200)
		self.assertTrue(active.headers.get("Content-Disposition", "").startswith("attachment"))
		self.assertEqual(active.headers["X-Content-Type-Options"], "nosniff")
		image = self.agent.get(self.server.url + self.png.file_url, timeout=30)
		self.assertEqual(image.status_code, 200)
		self.assertNotIn("Content-Disposition", image.headers, "an image is still shown inline")
		self.assertEqual(image.headers["X-Content-Type-Options"], "nosniff")

	def test_the_ticket_page_title_is_text(self):
		typed = self.call(
			"create_ticket",
			subject="&lt;/title&gt;&lt;img src=x onerror=alert(2)&gt;",
			description="Typed entities",
		)
		self.assertEqual(typed.status_code, 200, typed.text)
		shown = {
			self.desk_subject: "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;",
			typed.json()["message"]["name"]: "&amp;lt;/title&amp;gt;&amp;lt;img",  # what was typed
		}
		for name, title in shown.items():
			with self.subTest(ticket=name):
				page = self.anna.get(f"{self.server.url}/support/tickets/{name}", timeout=30)
				self.assertEqual(page.status_code, 200)
				self.assertNotIn("<img src=x", page.text)
				head = page.text.split("</head>")[0]
				self.assertEqual(head.count("</title>"), 1, "the subject did not close the title")
				self.assertIn(f"<title>{name} · {title}", head)
