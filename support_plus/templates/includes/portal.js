// Customer portal (support_plus): small helpers on Frappe's website frappe.call.
{% include "support_plus/templates/includes/read_files.js" %}
window.support_portal = {
	read_files: window.support_read_files,
	call(method, args) {
		return frappe.call({ method: "support_plus.api.portal." + method, args, freeze: true });
	},
	suggest(text) {
		const box = document.getElementById("suggestions");
		if (!text || text.length < 3) return (box.innerHTML = "");
		frappe.call({ method: "support_plus.api.kb.search", args: { query: text, limit: 5 } }).then(({ message }) => {
			box.innerHTML = (message || []).length
				? __("These articles may help:") +
				  "<ul>" +
				  message.map((a) => `<li><a target="_blank" href="${a.url}">${frappe.utils.escape_html(a.title)}</a></li>`).join("") +
				  "</ul>"
				: "";
		});
	},
	ticket_page(ticket) {
		const reload = () => window.location.reload();
		const on = (id, handler) => {
			const el = document.getElementById(id);
			el && el.addEventListener("click", handler);
		};
		on("send", async () => {
			const message = document.getElementById("message").value;
			const attachments = await support_portal.read_files(document.getElementById("files"));
			support_portal.call("add_comment", { ticket, message, attachments }).then(({ message: name }) => {
				window.location.href = "/support/tickets/" + name;
			});
		});
		on("accept", () => support_portal.call("accept_resolution", { ticket }).then(reload));
		on("reject", () =>
			support_portal
				.call("reject_resolution", { ticket, reason: document.getElementById("reject-reason").value })
				.then(reload)
		);
		on("rate", () =>
			support_portal
				.call("rate", {
					ticket,
					rating: document.getElementById("rating").value,
					feedback: document.getElementById("feedback").value,
				})
				.then(() => frappe.msgprint(__("Thank you for your rating.")))
		);
	},
	new_ticket_page() {
		const value = (id) => (document.getElementById(id) || {}).value || null;
		let timer = null;
		document.getElementById("subject").addEventListener("input", (event) => {
			clearTimeout(timer);
			timer = setTimeout(() => support_portal.suggest(event.target.value), 300);
		});
		document.getElementById("submit-ticket").addEventListener("click", async () => {
			const attachments = await support_portal.read_files(document.getElementById("files"));
			support_portal
				.call("create_ticket", {
					subject: value("subject"),
					description: value("description"),
					issue_type: value("issue_type"),
					priority: value("priority"),
					serial_no: value("serial_no"),
					attachments,
				})
				.then(({ message }) => {
					document.getElementById("new-ticket-form").style.display = "none";
					const done = document.getElementById("ticket-created");
					done.style.display = "block";
					done.innerHTML = __("Your ticket number is {0}. Follow it here: {1}", [
						`<b id="new-ticket-number">${message.name}</b>`,
						`<a href="${message.route}">${message.route}</a>`,
					]);
				});
		});
	},
};
