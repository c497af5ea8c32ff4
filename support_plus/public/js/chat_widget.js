// The support chat widget on the website and the /support portal: talks to support_plus.api.chat.
// Text is always inserted as text (never as HTML); links only to this site or http(s).
(function () {
	if (window.supportPlusChat || /^\/(app|field)(\/|$)/.test(location.pathname)) return;
	const API = "/api/method/support_plus.api.chat.";
	const KEY = "support_plus_chat";
	const state = { conversation: null, secret: null, polling: null, shown: 0 };
	window.supportPlusChat = state;

	function csrf() {
		return (window.frappe && frappe.csrf_token) || window.csrf_token || "";
	}
	function call(method, args, verb) {
		const get = verb === "GET";
		const url = API + method + (get ? "?" + new URLSearchParams(args) : "");
		return fetch(url, {
			method: get ? "GET" : "POST",
			headers: { "Content-Type": "application/json", Accept: "application/json", "X-Frappe-CSRF-Token": csrf() },
			body: get ? undefined : JSON.stringify(args),
			credentials: "same-origin",
		}).then(async (r) => {
			const data = await r.json().catch(() => ({}));
			if (!r.ok) {
				let text = r.status === 429 ? "You are sending messages too fast; wait a minute." : "Sorry, something went wrong.";
				try {
					text = JSON.parse(JSON.parse(data._server_messages)[0]).message || text;
				} catch (e) {}
				const error = new Error(text);
				error.status = r.status;
				throw error;
			}
			return data.message;
		});
	}
	function el(tag, cls, text) {
		const node = document.createElement(tag);
		if (cls) node.className = cls;
		if (text !== undefined) node.textContent = text;
		return node;
	}
	function safeUrl(url) {
		return typeof url === "string" && (/^\/(?!\/)/.test(url) || /^https?:\/\//.test(url)) ? url : null;
	}

	const button = el("button", "sp-chat-button", "Chat with us");
	button.type = "button";
	const panel = el("div", "sp-chat-panel");
	panel.setAttribute("role", "dialog");
	panel.setAttribute("aria-label", "Support chat");
	const header = el("div", "sp-chat-header", "Support");
	const close = el("button", "sp-chat-close", "×");
	close.type = "button";
	close.setAttribute("aria-label", "Close");
	header.appendChild(close);
	const log = el("div", "sp-chat-log");
	log.setAttribute("aria-live", "polite");
	const form = el("form", "sp-chat-form");
	const input = el("input", "sp-chat-input");
	input.type = "text";
	input.maxLength = 2000;
	input.placeholder = "Type your message";
	input.setAttribute("aria-label", "Message");
	const send = el("button", "sp-chat-send", "Send");
	send.type = "submit";
	form.append(input, send);
	panel.append(header, log, form);

	function show(message, from) {
		const who = from || (message.direction === "Inbound" ? "Customer" : message.from || "Assistant");
		const bubble = el("div", "sp-chat-msg sp-from-" + who.toLowerCase());
		let text = message.text || "";
		let link = message.link;
		// A stored answer keeps its link as the URL on its last line (the history): show it as a link.
		const lines = text.split("\n");
		if (!link && who !== "Customer" && lines.length > 1 && safeUrl(lines[lines.length - 1].trim())) {
			link = { url: lines.pop().trim() };
			text = lines.join("\n");
		}
		bubble.appendChild(el("div", "sp-chat-text", text));
		const url = link && safeUrl(link.url);
		if (url) {
			const a = el("a", "sp-chat-link", link.label || url);
			a.href = url;
			bubble.appendChild(a);
		}
		if ((message.options || []).length) {
			const options = el("div", "sp-chat-options");
			message.options.forEach((option) => {
				const b = el("button", "sp-chat-option", option);
				b.type = "button";
				b.addEventListener("click", () => say(option));
				options.appendChild(b);
			});
			bubble.appendChild(options);
		}
		log.appendChild(bubble);
		log.scrollTop = log.scrollHeight;
	}
	function remember() {
		sessionStorage.setItem(KEY, JSON.stringify({ conversation: state.conversation, secret: state.secret }));
	}
	function begin() {
		const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
		if (saved && saved.conversation) {
			Object.assign(state, saved);
			return call("get", { conversation: state.conversation, secret: state.secret || "" }, "GET")
				.then((history) => {
					history.messages.forEach((m) => show(m));
					state.shown = history.messages.length;
				})
				.catch(() => {
					sessionStorage.removeItem(KEY);
					state.conversation = null;
					return begin();
				});
		}
		return call("start", {}).then((started) => {
			state.conversation = started.conversation;
			state.secret = started.secret;
			remember();
			started.messages.forEach((m) => show(m, "Assistant"));
			state.shown = started.messages.length;
		});
	}
	function say(text) {
		text = (text || "").trim();
		if (!text || !state.conversation) return;
		show({ text: text, direction: "Inbound" });
		input.value = "";
		call("send", { conversation: state.conversation, text: text, secret: state.secret || "" })
			.then((answer) => {
				answer.messages.forEach((m) => show(m, "Assistant"));
				state.shown += 1 + answer.messages.length;
			})
			.catch((error) => show({ text: error.message }, "Assistant"));
	}
	function poll() {
		if (!state.conversation) return;
		call("get", { conversation: state.conversation, secret: state.secret || "" }, "GET")
			.then((history) => {
				history.messages.slice(state.shown).forEach((m) => {
					if (m.from === "Agent") show(m);
				});
				state.shown = history.messages.length;
			})
			.catch(() => {});
	}

	button.addEventListener("click", () => {
		panel.classList.add("sp-open");
		button.classList.add("sp-hidden");
		if (!state.conversation) begin().catch((e) => show({ text: e.message }, "Assistant"));
		state.polling = state.polling || setInterval(poll, 5000);
		input.focus();
	});
	close.addEventListener("click", () => {
		panel.classList.remove("sp-open");
		button.classList.remove("sp-hidden");
		clearInterval(state.polling);
		state.polling = null;
	});
	form.addEventListener("submit", (event) => {
		event.preventDefault();
		say(input.value);
	});
	function mount() {
		document.body.append(button, panel);
	}
	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
	else mount();
})();
