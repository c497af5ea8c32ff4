// The technician's van page /van (support_plus.parts.van_page): start an audit, save counts, submit it.
(() => {
	const page = document.getElementById("van-page");
	const call = (method, args) =>
		frappe.call({ method: "support_plus.api." + method, args, freeze: true });
	const reload = () => window.location.reload();
	const counts = () => {
		const out = {};
		document.querySelectorAll(".van-count").forEach((input) => (out[input.dataset.item] = input.value));
		return JSON.stringify(out);
	};
	const on = (id, handler) => {
		const button = document.getElementById(id);
		button && button.addEventListener("click", handler);
	};
	on("start-audit", () => call("start_van_audit", { warehouse: page.dataset.van }).then(reload));
	on("save-counts", () =>
		call("record_van_count", { audit_name: page.dataset.audit, counts: counts() }).then(reload)
	);
	on("submit-audit", () =>
		call("record_van_count", { audit_name: page.dataset.audit, counts: counts() })
			.then(() => call("submit_van_audit", { audit_name: page.dataset.audit }))
			.then(reload)
	);
})();
