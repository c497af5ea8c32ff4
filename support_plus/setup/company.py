"""Completing ERPNext's setup wizard from code, for the demo site and the test site."""

import frappe
from frappe.utils import now_datetime


def ensure_setup_complete(
	company_name: str,
	abbr: str,
	currency: str = "USD",
	country: str = "United States",
	timezone: str = "America/New_York",
) -> str:
	"""Run the setup wizard once (company, fiscal year, currency, chart of accounts); return the company."""
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	if not frappe.db.a_row_exists("Company"):
		year = now_datetime().year
		setup_complete(
			{
				"currency": currency,
				"full_name": "Administrator",
				"company_name": company_name,
				"timezone": timezone,
				"company_abbr": abbr,
				"industry": "Services",
				"country": country,
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "english",
				"company_tagline": company_name,
				"chart_of_accounts": "Standard",
			}
		)
		frappe.db.commit()  # nosemgrep: the wizard's records must survive the caller's transaction
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")
