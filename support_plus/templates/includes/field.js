// The technician's page /field (support_plus.dispatch.field): status buttons, notes, photos, signature.
{% include "support_plus/templates/includes/read_files.js" %}
window.support_field = {
	call(method, args) {
		return frappe.call({ method: "support_plus.api.field." + method, args, freeze: true });
	},
	read_files: window.support_read_files,
	signature_pad(canvas) {
		// Drawn with a finger (pointer events); empty until the first stroke.
		const ctx = canvas.getContext("2d");
		ctx.lineWidth = 4;
		ctx.lineCap = "round";
		ctx.strokeStyle = "#1f272e";
		let drawing = false;
		let signed = false;
		const point = (e) => {
			const r = canvas.getBoundingClientRect();
			return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
		};
		canvas.addEventListener("pointerdown", (e) => {
			drawing = true;
			ctx.beginPath();
			ctx.moveTo(...point(e));
			canvas.setPointerCapture(e.pointerId);
		});
		canvas.addEventListener("pointermove", (e) => {
			if (!drawing) return;
			ctx.lineTo(...point(e));
			ctx.stroke();
			signed = true;
		});
		const stop = () => (drawing = false);
		canvas.addEventListener("pointerup", stop);
		canvas.addEventListener("pointercancel", stop);
		return {
			data_url: () => (signed ? canvas.toDataURL("image/png") : null),
			clear: () => {
				ctx.clearRect(0, 0, canvas.width, canvas.height);
				signed = false;
			},
		};
	},
	appointment_page(appointment) {
		const reload = () => window.location.reload();
		const canvas = document.getElementById("signature");
		const pad = canvas && support_field.signature_pad(canvas);
		const clear = document.getElementById("clear-signature");
		clear && clear.addEventListener("click", () => pad.clear());
		document.querySelectorAll(".field-action").forEach((button) =>
			button.addEventListener("click", () => {
				const args = { appointment, status: button.dataset.status };
				if (args.status === "Completed") {
					args.work_done = document.getElementById("work-done").value;
					args.time_spent_minutes = document.getElementById("time-spent").value || 0;
					const feedback = document.getElementById("customer-feedback");
					if (feedback && feedback.value.trim()) args.feedback = feedback.value;
					const signature = pad && pad.data_url();
					if (signature) args.signature = signature;
				}
				support_field.call("set_appointment_status", args).then(reload);
			})
		);
		const not_done = document.getElementById("action-not-done");
		not_done &&
			not_done.addEventListener("click", () =>
				support_field
					.call("set_appointment_status", {
						appointment,
						status: document.getElementById("not-done-status").value,
						reason: document.getElementById("not-done-reason").value,
					})
					.then(reload)
			);
		document.getElementById("add-note").addEventListener("click", async () => {
			const photos = await support_field.read_files(document.getElementById("photos-input"));
			const note = document.getElementById("note").value;
			support_field.call("add_appointment_note", { appointment, note, photos }).then(reload);
		});
	},
};
