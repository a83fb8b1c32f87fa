"""A local fake of the two Stripe endpoints the portal calls, so the real `stripe` client
code (request encoding, headers, idempotency keys, error handling, response parsing)
runs in tests without reaching Stripe.

    POST /v1/checkout/sessions          create (form-encoded, Idempotency-Key honoured)
    GET  /v1/checkout/sessions/<id>     retrieve

Every request is recorded (method, path, headers, decoded form). Tests move a session
along as Stripe would with `complete()` / `expire()`.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

API_KEY = "sk_test_fake_portal_key"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)


def nested(form: dict[str, str], prefix: str) -> dict[str, str]:
    """metadata[invoice_id]=1 → {"invoice_id": "1"} for prefix "metadata"."""
    found = {}
    for key, value in form.items():
        match = re.fullmatch(re.escape(prefix) + r"\[([^\]]+)\]", key)
        if match:
            found[match[1]] = value
    return found


class FakeStripe:
    def __init__(self):
        self.sessions: dict[str, dict] = {}
        self.requests: list[Recorded] = []
        self._idempotent: dict[str, tuple[dict, dict]] = {}
        self._lock = threading.Lock()
        self.refuse_with: int | None = None  # answer every request with this error status
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeStripe:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- moving sessions along, as Stripe does ------------------------------------------
    def complete(self, session_id: str, *, payment_status: str = "paid", **changes) -> dict:
        with self._lock:
            session = self.sessions[session_id]
            session.update(
                status="complete",
                payment_status=payment_status,
                payment_intent=session["payment_intent"] or f"pi_{secrets.token_hex(10)}",
                **changes,
            )
            return dict(session)

    def expire(self, session_id: str) -> dict:
        with self._lock:
            self.sessions[session_id].update(status="expired", url=None)
            return dict(self.sessions[session_id])

    def creates(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    # --- HTTP ----------------------------------------------------------------------------
    def _create(self, form: dict[str, str]) -> dict:
        session_id = f"cs_test_{secrets.token_hex(12)}"
        unit = int(form["line_items[0][price_data][unit_amount]"])
        quantity = int(form.get("line_items[0][quantity]", "1"))
        now = int(time.time())
        return {
            "id": session_id,
            "object": "checkout.session",
            "amount_subtotal": unit * quantity,
            "amount_total": unit * quantity,
            "cancel_url": form.get("cancel_url"),
            "client_reference_id": form.get("client_reference_id"),
            "created": now,
            "currency": form["line_items[0][price_data][currency]"],
            "expires_at": now + 24 * 3600,
            "livemode": False,
            "metadata": nested(form, "metadata"),
            "mode": form.get("mode"),
            "payment_intent": None,
            "payment_status": "unpaid",
            "status": "open",
            "success_url": form.get("success_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        }

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, message: str, kind="invalid_request_error", code=None):
                self._send(status, {"error": {"type": kind, "message": message, "code": code}})

            def _record(self, form=None) -> Recorded:
                entry = Recorded(self.command, self.path, dict(self.headers.items()), form or {})
                with fake._lock:
                    fake.requests.append(entry)
                return entry

            def _authorised(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                    self._error(401, "Invalid API Key provided.", kind="invalid_request_error")
                    return False
                if fake.refuse_with:
                    self._error(fake.refuse_with, "Refused by the fake.", kind="api_error")
                    return False
                return True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
                self._record(form)
                if not self._authorised():
                    return
                if self.path != "/v1/checkout/sessions":
                    return self._error(404, f"Unrecognized request URL (POST: {self.path}).")
                key = self.headers.get("Idempotency-Key")
                with fake._lock:
                    if key and key in fake._idempotent:
                        first_form, response = fake._idempotent[key]
                        if first_form != form:
                            return self._error(
                                400,
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with.",
                                kind="idempotency_error",
                            )
                        return self._send(200, response, {"Idempotent-Replayed": "true"})
                    session = fake._create(form)
                    fake.sessions[session["id"]] = session
                    if key:
                        fake._idempotent[key] = (form, dict(session))
                return self._send(200, session)

            def do_GET(self):
                self._record()
                if not self._authorised():
                    return
                match = re.fullmatch(r"/v1/checkout/sessions/([A-Za-z0-9_]+)", self.path)
                with fake._lock:
                    session = fake.sessions.get(match[1]) if match else None
                    session = dict(session) if session else None
                if session is None:
                    return self._error(404, "No such checkout.session", code="resource_missing")
                return self._send(200, session)

        return Handler
