"""A small OpenAI chat-completions server on 127.0.0.1 for the generator's tests.

It speaks the real HTTP API (the openai client talks to it over a socket), answers from a
script of replies, and once the script runs out answers every requested slot with the
next unused problem of a pool of known-good Python challenges. A scripted reply can be
an error status with headers, a delay, a dropped connection, or any text.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

POOL_PATH = Path(__file__).parent / "generator_data" / "python_problems.jsonl"
# A row of the prompt's slot table: | S001 | Python | medium | strings |
SLOT_ROW = re.compile(r"^\| (S\d+) \| ([^|]+?) \| ([^|]+?) \| ([^|]+?) \|$", re.MULTILINE)


@dataclass
class Reply:
    content: str | None = None  # the assistant's text; None: answer the slots from the pool
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "scripted error"  # error message for a non-200 status
    code: str | None = None  # error code for a non-200 status (e.g. "insufficient_quota")
    delay: float = 0.0  # seconds before answering
    drop: bool = False  # close the connection without answering
    finish_reason: str = "stop"


Script = Reply | Callable[["FakeOpenAI", dict[str, Any]], Reply]


def load_pool(path: Path = POOL_PATH) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def slots_of(request: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The (id, language, difficulty, category) rows the request's first message asks for."""
    first = request["messages"][0]["content"]
    return [tuple(part.strip() for part in row) for row in SLOT_ROW.findall(first)]  # type: ignore[misc]


class FakeOpenAI:
    def __init__(self, *, pool: list[dict[str, Any]] | None = None, default_delay: float = 0.0,
                 refuse_json_schema: bool = False) -> None:
        self.pool = pool if pool is not None else load_pool()
        self.default_delay = default_delay
        self.refuse_json_schema = refuse_json_schema
        self.requests: list[dict[str, Any]] = []
        self.script: list[Script] = []
        self.served = 0  # pool problems handed out
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(self, *replies: Script) -> None:
        with self.lock:
            self.script.extend(replies)

    # ---- building answers ----

    def next_problem(self) -> dict[str, Any]:
        with self.lock:
            problem = self.pool[self.served % len(self.pool)]
            self.served += 1
        return json.loads(json.dumps(problem))

    def entry_for(self, slot: tuple[str, str, str, str]) -> dict[str, Any]:
        key, language, difficulty, category = slot
        entry = self.next_problem()
        entry["query_id"] = key
        entry["metadata"].update(language=language, difficulty=difficulty, category=category, complexity=0.6)
        return entry

    def entries_for(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        return [self.entry_for(slot) for slot in slots_of(request)]

    def answer(self, request: dict[str, Any]) -> str:
        return json.dumps({"entries": self.entries_for(request)})

    def _reply_for(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(request)
            item = self.script.pop(0) if self.script else None
        if item is None:
            return Reply(delay=self.default_delay)
        return item if isinstance(item, Reply) else item(self, request)

    # ---- HTTP ----

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                request = json.loads(self.rfile.read(length))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}}, {})
                    return
                response_format = request.get("response_format") or {}
                if fake.refuse_json_schema and response_format.get("type") == "json_schema":
                    with fake.lock:
                        fake.requests.append(request)
                    message = "response_format json_schema is not supported by this server"
                    self._send(400, {"error": {"message": message, "type": "invalid_request_error"}}, {})
                    return
                reply = fake._reply_for(request)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                if reply.status != 200:
                    error = {"error": {"message": reply.message, "type": "server_error", "code": reply.code}}
                    self._send(reply.status, error, reply.headers)
                    return
                content = reply.content if reply.content is not None else fake.answer(request)
                body = {
                    "id": f"chatcmpl-{len(fake.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": request.get("model", "fake"),
                    "choices": [{
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": reply.finish_reason,
                    }],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 40, "total_tokens": 140},
                }
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self._send(200, body, reply.headers)

        return Handler
