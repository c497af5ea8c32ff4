"""What the demo site is made of: a small field-service company and its customers."""

COMPANY = {
	"company_name": "Support Plus Demo Ltd",
	"abbr": "SPD",
	"currency": "USD",
	"country": "United States",
}

ISSUE_TYPES = (
	"Technical",
	"Billing",
	"Installation",
	"Maintenance Request",
	"Warranty Claim",
	"Feature Request",
	"Complaint",
)

# (customer, customer group, contact first name, last name, email)
CUSTOMERS = (
	("Northwind Dental Group", "Commercial", "Anna", "Keller", "anna.keller@northwind-dental.example"),
	("Harbor Logistics", "Commercial", "Mateo", "Ruiz", "m.ruiz@harbor-logistics.example"),
	("Bluebell Bakeries", "Commercial", "Priya", "Nair", "priya@bluebell-bakeries.example"),
	("Summit Fitness Clubs", "Commercial", "Jonas", "Berg", "jonas.berg@summitfitness.example"),
	("Greenfield Clinics", "Commercial", "Chloe", "Martin", "c.martin@greenfield-clinics.example"),
	("Orion Print Shop", "Commercial", "Samuel", "Okafor", "sam@orionprint.example"),
	("Cedar Hotels", "Commercial", "Lena", "Fischer", "lena.fischer@cedarhotels.example"),
	("Maple Schools District", "Government", "David", "Chen", "it-desk@mapleschools.example"),
)

# (item code, item name, serial prefix, warranty months)
PRODUCTS = (
	("ESP-X2", "Espresso Machine X2", "ESPX2-", 24),
	("AC-9000", "Split Air Conditioner 9000 BTU", "AC9K-", 36),
	("POS-T1", "POS Terminal T1", "POST1-", 12),
	("PRN-L5", "Laser Printer L5", "PRNL5-", 12),
)

# Frappe gives System Manager to any desk user saved while no one else holds it: the demo has its own
# administrator, so the agents and the manager hold only their support role.
SITE_ADMIN = ("Ivo", "Berg", "it.admin@support-plus.example")

# Support agents (desk users holding only Support Agent).
AGENTS = (
	("Maria", "Lopez", "maria.lopez@support-plus.example"),
	("Tom", "Becker", "tom.becker@support-plus.example"),
	("Aisha", "Khan", "aisha.khan@support-plus.example"),
)

# Response and resolution hours per priority (the seeds' table).
SLA_HOURS = {"Low": (48, 168), "Medium": (24, 72), "High": (4, 24), "Critical": (1, 4)}

# (subject, issue type, priority, product code or None)
PROBLEMS = (
	("Espresso machine shows E04 and stops heating", "Technical", "High", "ESP-X2"),
	("Grinder makes a loud rattling noise", "Technical", "Medium", "ESP-X2"),
	("Air conditioner leaks water onto the floor", "Technical", "High", "AC-9000"),
	("AC unit not cooling below 26 degrees", "Technical", "Critical", "AC-9000"),
	("Quarterly filter change for the AC units", "Maintenance Request", "Low", "AC-9000"),
	("POS terminal freezes during card payments", "Technical", "Critical", "POS-T1"),
	("Receipt printer on POS prints blank slips", "Technical", "Medium", "POS-T1"),
	("Printer jams on every duplex job", "Technical", "Medium", "PRN-L5"),
	("Toner warning although cartridge is new", "Warranty Claim", "Low", "PRN-L5"),
	("Invoice shows the service visit twice", "Billing", "Medium", None),
	("Please install two new espresso machines at the new branch", "Installation", "Medium", "ESP-X2"),
	("Technician did not arrive for the booked visit", "Complaint", "High", None),
	("Request: monthly usage report per machine", "Feature Request", "Low", None),
	("Warranty replacement for cracked water tank", "Warranty Claim", "Medium", "ESP-X2"),
	("Card reader on POS T1 rejects contactless cards", "Technical", "High", "POS-T1"),
	("AC remote control not responding", "Technical", "Low", "AC-9000"),
	("Printer network card lost its IP address", "Technical", "Medium", "PRN-L5"),
	("Annual maintenance contract renewal quote", "Billing", "Low", None),
)

CHANNELS = ("Email", "Phone", "Web Portal", "Email", "Walk-in", "Phone", "Email", "Chat")

# Follow-ups on some active issues: (note, days from today for the next follow-up; negative: overdue).
FOLLOW_UPS = (
	("Called the customer; they will send photos of the error screen.", 2),
	("Replacement part ordered from the supplier.", -3),
	("Technician visit booked.", 5),
	("Waiting for the customer's maintenance window.", -1),
)

ISSUE_COUNT = 120  # about two a working day over the last 60 days (demo/stories.py)

# What the team and the customers write in the demo conversations.
REPLIES = (
	"Thanks for reporting this. Could you send us the serial number and a photo of the display?",
	"We have looked at the logs remotely; a technician will call you this afternoon.",
	"Sorry for the trouble. Please restart the unit once and tell us whether the error comes back.",
	"We have booked a technician visit; you will get the time slot by email.",
)
CUSTOMER_REPLIES = (
	"Here is the serial number from the label. The error came back this morning.",
	"Restarting did not help, it still shows the same message.",
	"Unfortunately the problem is back since yesterday.",
)
RESOLUTIONS = (
	"Replaced the faulty sensor on site; the customer confirmed it works again.",
	"Firmware updated remotely; the error has not come back.",
	"Cleaned and recalibrated the unit during the visit.",
	"Credited the duplicate charge; corrected invoice sent.",
)
FEEDBACK = {
	5: "Quick and friendly, thank you!",
	2: "It took far too long to get a technician.",
	1: "Nobody called back.",
}

# The portal login of the first customer's contact (a demo site only).
PORTAL_PASSWORD = "demo-customer-1"

KB_CATEGORY = "Troubleshooting"
# (title, content, audience)
KB_ARTICLES = (
	(
		"Espresso machine shows error E04",
		"<p>E04 means the boiler does not heat. Switch the machine off, wait one minute and descale it. "
		"If E04 comes back, open a ticket with the serial number from the label under the drip tray.</p>",
		"Everyone",
	),
	(
		"Printer jams on duplex jobs",
		"<p>Most duplex paper jams come from dust on the paper path. Clean the rollers with a dry cloth and "
		"use paper of 80 g/m² or heavier.</p>",
		"Everyone",
	),
	(
		"Resetting the POS terminal T1 (customers only)",
		"<p>Hold the power key for 15 seconds, then enter the service code printed on your maintenance "
		"contract. The terminal reboots with your last configuration.</p>",
		"Logged-in Customers",
	),
)
