// Copyright (c) 2026, support_plus developers and contributors
// For license information, please see license.txt

// One technician's week: filter the calendar by Technician (Frappe's Event/ToDo calendars work the same way).
frappe.views.calendar["Service Appointment"] = {
	field_map: {
		start: "scheduled_start",
		end: "scheduled_end",
		id: "name",
		title: "title",
		color: "color",
	},
	filters: [
		{
			fieldtype: "Link",
			fieldname: "technician",
			options: "Service Technician",
			label: __("Technician"),
		},
		{
			fieldtype: "Select",
			fieldname: "status",
			options: "\nScheduled\nEn Route\nOn Site\nCompleted\nCancelled\nNo Show",
			label: __("Status"),
		},
	],
	get_events_method: "support_plus.api.appointments.get_calendar_events",
};
