"""A local stand-in for Meta's Graph API (WhatsApp Cloud API) on loopback, for tests and the benchmark.

It records every request and answers as Meta's documentation shows: POST /<version>/<phone-id>/messages
gives a message id, GET /<version>/<media-id> the media's URL, type and size, GET /media/<id> the bytes.
`fail_with` makes the next answers errors (status, Graph error JSON), as Meta answers a bad token or
an outage.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v19.0"


class GraphStandIn:
	def __init__(self):
		self.requests: list[dict] = []
		self.media: dict[str, tuple[bytes, str]] = {}
		self.fail_with: int | None = None
		self.sent = 0
		stand_in = self

		class Handler(BaseHTTPRequestHandler):
			def log_message(self, *args):
				pass

			def _record(self, body: bytes | None = None):
				stand_in.requests.append(
					{
						"method": self.command,
						"path": self.path,
						"headers": dict(self.headers),
						"json": json.loads(body) if body else None,
					}
				)

			def _answer(
				self, status: int, payload=None, raw: bytes | None = None, content_type="application/json"
			):
				body = raw if raw is not None else json.dumps(payload).encode()
				self.send_response(status)
				self.send_header("Content-Type", content_type)
				self.send_header("Content-Length", str(len(body)))
				self.end_headers()
				self.wfile.write(body)

			def _failing(self) -> bool:
				if stand_in.fail_with:
					error = {
						"message": "(#131000) Something went wrong",
						"type": "OAuthException",
						"code": 131000,
					}
					self._answer(stand_in.fail_with, {"error": error})
					return True
				return False

			def do_POST(self):
				body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
				self._record(body)
				if self._failing():
					return
				if not self.path.endswith("/messages"):
					return self._answer(404, {"error": {"message": "Unknown path", "code": 100}})
				stand_in.sent += 1
				to = json.loads(body).get("to")
				self._answer(
					200,
					{
						"messaging_product": "whatsapp",
						"contacts": [{"input": to, "wa_id": to}],
						"messages": [{"id": f"wamid.standin{stand_in.sent:06d}"}],
					},
				)

			def do_GET(self):
				self._record()
				if self._failing():
					return
				if self.headers.get("Authorization") != f"Bearer {stand_in.token}":
					return self._answer(
						401, {"error": {"message": "Invalid OAuth access token", "code": 190}}
					)
				if self.path.startswith("/media/"):
					content, mime = stand_in.media[self.path.rsplit("/", 1)[1]]
					return self._answer(200, raw=content, content_type=mime)
				media_id = self.path.rsplit("/", 1)[1]
				if media_id not in stand_in.media:
					return self._answer(404, {"error": {"message": "Unsupported get request", "code": 100}})
				content, mime = stand_in.media[media_id]
				self._answer(
					200,
					{
						"messaging_product": "whatsapp",
						"url": f"{stand_in.url}/media/{media_id}",
						"mime_type": mime,
						"sha256": "0" * 64,
						"file_size": stand_in.sizes.get(media_id, len(content)),
						"id": media_id,
					},
				)

		self.sizes: dict[str, int] = {}
		self.token = "stand-in-token"
		self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
		self.base_url = f"{self.url}/{VERSION}"
		self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
		self.thread.start()

	def stop(self):
		self.server.shutdown()
		self.server.server_close()

	def posts(self) -> list[dict]:
		return [r for r in self.requests if r["method"] == "POST"]
