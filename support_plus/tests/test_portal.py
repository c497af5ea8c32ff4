"""The customer portal: who sees what (pages, REST, methods, files, search) and what customers do.

Two customers and three portal users; isolation is checked through the context functions and through
real HTTP requests to a running server for the test site."""

import base64
from math import ceil

import requests

import frappe
from frappe import _
from frappe.utils import get_url, global_date_format

from support_plus.api import portal as api
from support_plus.portal.pages import PAGE_SIZE, list_tickets, ticket_view
from support_plus.tests.http import SiteServer
from support_plus.tests.utils import AGENT, SupportTestCase, make_customer

ANNA, ALEX, BEA = "anna@alpha-portal.example", "alex@alpha-portal.example", "bea@beta-portal.example"


def make_portal_user(email: str, customer: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	# Frappe made a Contact for the new user already: link it to its customer.
	name = contact_of(email)
	contact = (
		frappe.get_doc("Contact", name)
		if name
		else frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": email.split("@")[0],
				"email_ids": [{"email_id": email, "is_primary": 1}],
			}
		)
	)
	contact.user = email
	if not any(link.link_doctype == "Customer" and link.link_name == customer for link in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.save(ignore_permissions=True)
	return email


def contact_of(email):
	return frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")


def ticket_for(email, customer, subject):
	return (
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"raised_by": email,
				"contact": contact_of(email),
				"customer": customer,
			}
		)
		.insert()
		.name
	)


class PortalTestCase(SupportTestCase):
	"""Committed data (the HTTP server is another process), removed after the class."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.alpha = make_customer("Alpha Portal Ltd")
		cls.beta = make_customer("Beta Portal Ltd")
		for email, customer in ((ANNA, cls.alpha), (ALEX, cls.alpha), (BEA, cls.beta)):
			make_portal_user(email, customer)
		cls.anna_ticket = ticket_for(ANNA, cls.alpha, "Anna's coffee machine leaks")
		cls.alex_ticket = ticket_for(ALEX, cls.alpha, "Alex's printer jams")
		cls.bea_ticket = ticket_for(BEA, cls.beta, "Beta secret merger server")
		cls.made = [cls.anna_ticket, cls.alex_ticket, cls.bea_ticket]
		frappe.db.commit()  # nosemgrep

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		names = frappe.get_all("Issue", filters={"raised_by": ("in", [ANNA, ALEX, BEA])}, pluck="name")
		for doctype, field in (
			("Communication", "reference_name"),
			("File", "attached_to_name"),
			("Comment", "reference_name"),
		):
			frappe.db.delete(doctype, {field: ("in", names or ["-"])})
		frappe.db.delete("Issue", {"name": ("in", names or ["-"])})
		frappe.db.set_single_value("Support Plus Settings", "portal_customer_wide_visibility", 0)
		frappe.db.commit()  # nosemgrep
		super().tearDownClass()

	def names(self, user, **kwargs):
		frappe.set_user(user)
		return {row.name for row in list_tickets(**kwargs)["tickets"]}


class TestWhoSeesWhat(PortalTestCase):
	def test_own_contact_only_by_default(self):
		self.assertEqual(self.names(ANNA) & set(self.made), {self.anna_ticket})
		self.assertEqual(self.names(BEA) & set(self.made), {self.bea_ticket})

	def test_customer_wide_when_the_setting_is_on(self):
		frappe.db.set_single_value("Support Plus Settings", "portal_customer_wide_visibility", 1)
		try:
			self.assertEqual(self.names(ANNA) & set(self.made), {self.anna_ticket, self.alex_ticket})
			self.assertEqual(self.names(BEA) & set(self.made), {self.bea_ticket})
		finally:
			frappe.db.set_single_value("Support Plus Settings", "portal_customer_wide_visibility", 0)

	def test_another_customers_ticket_does_not_exist_for_you(self):
		frappe.set_user(ANNA)
		self.assertEqual(ticket_view(self.anna_ticket)["ticket"].name, self.anna_ticket)
		for name in (self.bea_ticket, self.alex_ticket, "RE99999997"):
			self.assertRaises(frappe.PageDoesNotExistError, ticket_view, name)
			self.assertRaises(frappe.DoesNotExistError, api.add_comment, name, "hello")
			self.assertRaises(frappe.DoesNotExistError, api.rate, name, 5)

	def test_search_and_status_filter_and_paging(self):
		frappe.set_user(ANNA)
		self.assertEqual({t.name for t in list_tickets(search="coffee")["tickets"]}, {self.anna_ticket})
		self.assertEqual(
			{t.name for t in list_tickets(search=self.anna_ticket.lower())["tickets"]}, {self.anna_ticket}
		)
		self.assertEqual(list_tickets(search="printer")["tickets"], [])
		self.assertEqual(list_tickets(status="Closed")["tickets"], [])
		self.assertEqual(list_tickets(page=2), list_tickets(), "a page past the end is the last page")

	def test_pages_count_every_ticket(self):
		frappe.set_user(ANNA)
		before = list_tickets()["total"]
		now = frappe.utils.now_datetime()
		extra = [f"SPPAGE{i:04d}" for i in range(PAGE_SIZE + 5)]
		frappe.db.bulk_insert(
			"Issue",
			["name", "subject", "status", "raised_by", "opening_date", "creation", "modified"],
			[(n, f"Paging {n}", "Replied", ANNA, now.date(), now, now) for n in extra],
		)
		try:
			total = before + len(extra)
			first, second = list_tickets(), list_tickets(page=2)
			self.assertEqual((first["total"], second["total"]), (total, total))
			self.assertEqual(first["pages"], ceil(total / PAGE_SIZE))
			self.assertEqual(len(first["tickets"]), PAGE_SIZE)
			self.assertEqual(len(second["tickets"]), min(PAGE_SIZE, total - PAGE_SIZE))
			last = list_tickets(page=first["pages"])
			self.assertEqual(len(last["tickets"]), total - (first["pages"] - 1) * PAGE_SIZE)
			for past_the_end in (first["pages"] + 1, 10**23):  # 10**23: an offset MariaDB would refuse
				self.assertEqual(list_tickets(page=past_the_end), last)
			row = first["tickets"][0]
			self.assertEqual(row.status_label, _("Replied"))
			self.assertEqual(row.opened, global_date_format(now.date()))
		finally:
			frappe.db.delete("Issue", {"name": ("in", extra)})

	def test_the_description_opens_the_conversation_once(self):
		desk_ticket = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Phoned in",
				"raised_by": ANNA,
				"description": "<p>Caller says the lid is cracked</p>",
			}
		).insert()
		frappe.set_user(ANNA)
		self.assertIn("lid is cracked", ticket_view(desk_ticket.name)["description"])
		portal_ticket = api.create_ticket("From the portal", "Typed on the portal")["name"]
		view = ticket_view(portal_ticket)
		texts = [view["description"]] + [c.content for c in view["conversation"]]
		self.assertEqual(sum("Typed on the portal" in t for t in texts), 1)

	def test_conversation_is_public_messages_only(self):
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": "Issue",
				"reference_name": self.anna_ticket,
				"content": "INTERNAL: customer is difficult",
			}
		).insert()
		frappe.get_doc(
			{"doctype": "Issue Follow Up", "issue": self.anna_ticket, "note": "FOLLOWUP: call back"}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"sent_or_received": "Sent",
				"sender": AGENT,
				"content": "<p>We will send a technician.</p><script>alert(1)</script>",
				"reference_doctype": "Issue",
				"reference_name": self.anna_ticket,
			}
		).insert()
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "mailer-daemon@mail.example",
				"content": "BOUNCE: Delivery to agent@support failed",
				"is_automated": 1,
				"reference_doctype": "Issue",
				"reference_name": self.anna_ticket,
			}
		).insert()
		frappe.set_user(ANNA)
		text = " ".join(c.content for c in ticket_view(self.anna_ticket)["conversation"])
		self.assertIn("We will send a technician.", text)
		self.assertNotIn("<script>", text)
		self.assertNotIn("INTERNAL", text)
		self.assertNotIn("FOLLOWUP", text)
		self.assertNotIn("BOUNCE", text, "bounces and auto-replies are not the customer's conversation")


class TestCustomerActions(PortalTestCase):
	def test_open_a_ticket(self):
		frappe.set_user(ANNA)
		result = api.create_ticket(
			"Grinder broken",
			"It stopped.\nNo noise.",
			priority="Critical",
			attachments=[{"filename": "photo.txt", "data": base64.b64encode(b"pixels").decode()}],
		)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Issue", result["name"])
		self.assertEqual(result["route"], f"/support/tickets/{doc.name}")
		self.assertEqual(
			(doc.contact, doc.customer, doc.channel, doc.raised_by),
			(contact_of(ANNA), self.alpha, "Web Portal", ANNA),
		)
		self.assertNotEqual(
			doc.priority, "Critical", "customers choose no priority unless the settings allow it"
		)
		self.assertEqual(
			frappe.get_all("File", filters={"attached_to_name": doc.name}, pluck="file_name"), ["photo.txt"]
		)
		[ack] = frappe.get_all(
			"Email Queue", filters={"reference_doctype": "Issue", "reference_name": doc.name}, pluck="message"
		)
		self.assertIn(f"#{doc.name}", ack, "the number and the tracking link are emailed")
		self.assertIn(f"/support/tickets/{doc.name}", ack)
		frappe.set_user(ANNA)
		self.assertRaises(frappe.ValidationError, api.create_ticket, " ", "x")

	def test_comment_accept_reject_and_rate(self):
		frappe.set_user(ANNA)
		name = api.create_ticket("Screen flickers", "Since Monday")["name"]
		self.assertEqual(api.add_comment(name, "It is getting worse"), name)
		self.assertRaises(frappe.ValidationError, api.rate, name, 4)  # not resolved yet
		self.assertRaises(frappe.ValidationError, api.accept_resolution, name)

		frappe.set_user("Administrator")
		doc = frappe.get_doc("Issue", name)
		doc.status = "Resolved"
		doc.save()
		frappe.set_user(ANNA)
		api.reject_resolution(name, "Still flickers at night")
		self.assertEqual(frappe.db.get_value("Issue", name, ["status", "reopen_count"]), ("Open", 1))

		frappe.set_user("Administrator")
		doc.reload()
		doc.status = "Resolved"
		doc.save()
		frappe.set_user(ANNA)
		api.accept_resolution(name)
		self.assertEqual(frappe.db.get_value("Issue", name, "status"), "Closed")
		self.assertRaises(frappe.ValidationError, api.rate, name, 6)
		api.rate(name, 4, "Quick, but took two visits")
		self.assertEqual(
			frappe.db.get_value("Issue", name, ["customer_rating", "customer_feedback"]),
			(4, "Quick, but took two visits"),
		)
		# A message on the closed ticket opens a new one, which the customer sees too.
		follow_on = api.add_comment(name, "Now the sound is gone")
		self.assertNotEqual(follow_on, name)
		self.assertEqual(ticket_view(follow_on)["ticket"].previous_issue, name)


class TestPortalOverHttp(PortalTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = SiteServer.get()
		cls.bea_file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "beta-contract.txt",
				"content": b"beta secret",
				"attached_to_doctype": "Issue",
				"attached_to_name": cls.bea_ticket,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		cls.anna_file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "anna-photo.txt",
				"content": b"anna pixels",
				"attached_to_doctype": "Issue",
				"attached_to_name": cls.anna_ticket,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		cls.anna = cls.server.login(ANNA)

	def get(self, path, **kwargs):
		return self.anna.get(self.server.url + path, timeout=30, allow_redirects=False, **kwargs)

	def test_pages(self):
		listing = self.get("/support/tickets")
		self.assertEqual(listing.status_code, 200)
		self.assertIn("Anna&#39;s coffee machine leaks", listing.text.replace("Anna's", "Anna&#39;s"))
		self.assertNotIn("Beta secret merger", listing.text)
		self.assertNotIn("Alex&#39;s printer", listing.text)
		own = self.get(f"/support/tickets/{self.anna_ticket}")
		self.assertEqual(own.status_code, 200)
		for name in (self.bea_ticket, "RE99999997"):
			other = self.get(f"/support/tickets/{name}")
			self.assertEqual(other.status_code, 404)
			self.assertNotIn("Beta secret merger", other.text)
		self.assertEqual(self.get("/issues").status_code in (301, 302), True)
		guest = requests.get(self.server.url + "/support", timeout=30, allow_redirects=False)
		self.assertIn(guest.status_code, (301, 302, 303))
		self.assertIn("/login", guest.headers["Location"])

	def test_a_page_number_past_the_end_shows_the_last_page(self):
		for page in ("2", "99999999999999999999999"):
			listing = self.get("/support/tickets", params={"page": page})
			self.assertEqual(listing.status_code, 200, listing.text[:300])
			self.assertIn("Anna&#39;s coffee machine leaks", listing.text.replace("Anna's", "Anna&#39;s"))

	def test_rest_and_methods(self):
		self.assertEqual(self.get(f"/api/resource/Issue/{self.bea_ticket}").status_code, 403)
		self.assertEqual(self.get("/api/resource/Issue").status_code, 403)
		comment = self.anna.post(
			self.server.url + "/api/method/support_plus.api.portal.add_comment",
			json={"ticket": self.bea_ticket, "message": "let me in"},
			timeout=30,
		)
		self.assertEqual(comment.status_code, 404)
		self.assertNotIn("Beta secret merger", comment.text)
		search = self.get(
			"/api/method/frappe.desk.search.search_link", params={"doctype": "Issue", "txt": "Beta"}
		)
		self.assertNotIn("Beta secret merger", search.text)
		web = self.get("/api/method/frappe.utils.global_search.web_search", params={"text": "merger"})
		self.assertNotIn(self.bea_ticket, web.text)

	def test_files(self):
		self.assertIn(self.get(self.bea_file.file_url).status_code, (403, 404))
		download = "/api/method/support_plus.api.portal.download_attachment"
		self.assertEqual(self.get(download, params={"file": self.bea_file.name}).status_code, 404)
		own = self.get(download, params={"file": self.anna_file.name})
		self.assertEqual((own.status_code, own.content), (200, b"anna pixels"))


class TestResolutionEmailAndRatingLinks(PortalTestCase):
	def test_resolution_email_links_rate_without_login(self):
		import email
		import re
		from urllib.parse import unquote

		from frappe.utils.verified_command import get_signed_params

		from support_plus.tickets.rating import feedback_token

		server = SiteServer.get()
		doc = frappe.get_doc("Issue", self.alex_ticket)
		doc.status = "Resolved"
		doc.save()
		frappe.db.commit()  # nosemgrep
		raw = frappe.get_last_doc("Email Queue", filters={"reference_name": doc.name}).message
		message = "".join(
			part.get_payload(decode=True).decode()
			for part in email.message_from_string(raw).walk()
			if part.get_content_type() == "text/html"
		)
		links = {
			int(m.group(2)): unquote(m.group(0).replace("&amp;", "&"))
			for m in re.finditer(
				r"/support/rate\?ticket=([^&\"]+)&(?:amp;)?rating=(\d)&(?:amp;)?_signature=[0-9a-f]+", message
			)
		}
		self.assertEqual(sorted(links), [1, 2, 3, 4, 5])

		guest = requests.Session()
		rate_page = server.url + "/support/rate"
		page = guest.get(server.url + links[4], timeout=30)  # what a mail scanner does
		self.assertEqual(page.status_code, 200)
		self.assertIn('id="rating-form"', page.text)
		self.assertRegex(page.text, r'value="4"\s+checked')
		self.assertNotIn("rating-recorded", page.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Issue", doc.name, "customer_rating"), "a GET records nothing")

		form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
		self.assertEqual(form["ticket"], doc.name)
		forged = guest.post(rate_page, data={**form, "token": "0" * 64, "rating": 1}, timeout=30)
		self.assertIn("rating-invalid", forged.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Issue", doc.name, "customer_rating"), "no token, no rating")

		posted = guest.post(rate_page, data={**form, "rating": 4, "feedback": "Fast"}, timeout=30)
		self.assertEqual(posted.status_code, 200)
		self.assertIn("rating-recorded", posted.text)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Issue", doc.name, ["customer_rating", "customer_feedback"]), (4, "Fast")
		)

		tampered = guest.get(server.url + links[4].replace("rating=4", "rating=1"), timeout=30)
		self.assertIn("rating-invalid", tampered.text)
		self.assertNotIn("rating-form", tampered.text)

		method = server.url + "/api/method/support_plus.api.portal.feedback_by_link"
		bad = guest.post(
			method, json={"ticket": doc.name, "token": "0" * 64, "feedback": "forged"}, timeout=30
		)
		self.assertEqual(bad.status_code, 403)
		good = guest.post(
			method,
			json={"ticket": doc.name, "token": feedback_token(doc.name), "feedback": "Very kind technician"},
			timeout=30,
		)
		self.assertEqual(good.status_code, 200, good.text)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Issue", doc.name, ["customer_rating", "customer_feedback"]),
			(4, "Very kind technician"),
		)

		# A correctly signed link for a ticket that is not resolved offers nothing, and records nothing.
		open_link = "/support/rate?" + get_signed_params({"ticket": self.bea_ticket, "rating": 5})
		open_page = guest.get(server.url + open_link, timeout=30).text
		self.assertIn("rating-not-open", open_page)
		self.assertNotIn("rating-form", open_page)
		open_post = guest.post(
			rate_page,
			data={"ticket": self.bea_ticket, "token": feedback_token(self.bea_ticket), "rating": 5},
			timeout=30,
		)
		self.assertNotIn("rating-recorded", open_post.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value("Issue", self.bea_ticket, "customer_rating"))


class TestEmailNeverBlocksATicket(SupportTestCase):
	def test_resolving_without_an_outgoing_account(self):
		frappe.db.set_value(
			"Email Account", {"default_outgoing": 1}, "default_outgoing", 0
		)  # rolled back after
		doc = frappe.get_doc(
			{"doctype": "Issue", "subject": "No mail server here", "raised_by": "someone@nomail.example"}
		).insert()
		doc.status = "Resolved"
		doc.save()
		self.assertEqual(frappe.db.get_value("Issue", doc.name, "status"), "Resolved")
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
