"""Real providers on loopback, for the reminder tests and the bench (never in the request path):
an SMTP server (aiosmtpd) and an HTTP server shaped like GatewayAPI's send endpoint.

The gateway honours `Idempotency-Key` as the real one does: a repeated key is answered with the
first answer and is not delivered again. Faults on demand: answer 500 or 400, answer too late
(after the message was accepted), or kill the sender process after receiving and before answering."""

import json
import os
import signal
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LoopbackSmtp:
    """aiosmtpd on 127.0.0.1; `messages` holds every e-mail received (email.message.Message)."""

    def __init__(self, port: int | None = None, **server_settings):
        self.port = port or free_port()
        self.server_settings = server_settings  # aiosmtpd's SMTP settings, e.g. an authenticator
        self.messages: list = []
        self.envelopes: list = []
        self.controller = None

    def start(self) -> "LoopbackSmtp":
        from email import message_from_bytes, policy

        from aiosmtpd.controller import Controller

        owner = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                owner.envelopes.append(envelope)
                owner.messages.append(message_from_bytes(envelope.original_content or envelope.content,
                                                         policy=policy.default))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **self.server_settings)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


class LoopbackGateway:
    """POST /rest/mtsms with a token. `requests`: every request's (headers, payload); `delivered`:
    idempotency key -> payload, once per key; `faults`: a list of what to do with the next
    requests ("500", "400", "slow", "kill"), consumed one per request."""

    def __init__(self, token: str = "loopback-token", slow_seconds: float = 1.5):  # noqa: S107 - loopback only
        self.token = token
        self.slow_seconds = slow_seconds
        self.requests: list[tuple[dict, dict]] = []
        self.delivered: dict[str, dict] = {}
        self.answers: dict[str, dict] = {}
        self.faults: list[str] = []
        self.kill_pid: int | None = None
        self.lock = threading.Lock()
        self.next_id = 1000
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                owner.handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LoopbackGateway":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/rest/mtsms"

    def _answer(self, handler, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except OSError:
            pass  # the client gave up (timed out) before the answer

    def handle(self, handler, raw: bytes) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        try:
            payload = json.loads(raw or b"{}")
        except ValueError:
            payload = {}
        with self.lock:
            self.requests.append((headers, payload))
            fault = self.faults.pop(0) if self.faults else None
        if headers.get("authorization") != f"Token {self.token}":
            self._answer(handler, 401, {"message": "bad token"})
            return
        if fault == "500":
            self._answer(handler, 500, {"message": "internal error"})
            return
        if fault == "400":
            self._answer(handler, 400, {"message": "invalid recipient", "code": "0x0216"})
            return
        key = headers.get("idempotency-key") or payload.get("userref") or ""
        with self.lock:
            answer = self.answers.get(key)
            if answer is None:  # a new message: accepted and delivered once
                self.next_id += 1
                answer = {"ids": [self.next_id]}
                self.answers[key] = answer
                self.delivered[key] = payload
        if fault == "kill" and self.kill_pid:
            os.kill(self.kill_pid, signal.SIGKILL)  # the sender dies after the gateway took the message
            return
        if fault == "slow":
            time.sleep(self.slow_seconds)  # accepted, but the answer comes after the client gave up
        self._answer(handler, 200, answer)
