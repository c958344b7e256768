"""A hand-made OpenAI-compatible server on 127.0.0.1, for contract tests and benchmarks.

This is a FIXTURE, not a recording: it produces the server quirks a real local server does
not (a 429 with Retry-After, a hang, prose in JSON mode, ``<think>`` blocks, a 400 for a
mode) and records every request so tests can check what the client sent.

``FakeOpenAI(behaviour=..., latency=0.0)`` runs in a thread; use it as a context manager.
Behaviours for /v1/chat/completions: ``ok`` (a valid judgement built from the request),
``reject_json_schema``, ``prose_in_json``, ``think``, ``truncated``, ``bad_quotes``,
``vary`` (scores 1, 4, 3 on successive calls), ``rate_limit_once``, ``always_429``, ``server_error``, ``hang``, ``model_not_found``, ``auth``,
``context_length``. Streaming requests get the interviewer's text as SSE chunks: a fixed
opening, a ``<think>`` block, then the planned wording the request asks to rephrase.

``edit(judgement, request)``, when given, changes the judgement a grading request gets (in
place) before it is sent, for tests that need one criterion wrong; it runs in the server's
thread, so sleeping in it makes that request hang. :func:`is_reask` tells a re-ask apart.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def is_reask(request: dict) -> bool:
    """True for the grader's re-ask (the conversation goes on after the model's first reply)."""
    return any(m["role"] == "assistant" for m in request["messages"])


def answer_of(request: dict) -> str:
    """The candidate's answer between the answer tags of a grading request."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    m = re.search(r"<(answer-[0-9a-f]+)>\n(.*)\n</\1>", user, re.S)
    return m.group(2) if m else ""


def judgement_for(request: dict) -> dict:
    """A valid judgement for the grader request: every criterion id asked for (all the prompt
    lists, or on a re-ask those it names), each scored 3 with a verbatim quote from the answer
    (six words, each criterion its own stretch of it: a quote may support at most two), and
    the answer said to address the question."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    order = re.search(r"in this order: ([^.\n]+)\.", user)
    if order is None:  # not a grading request (e.g. the doctor's probe)
        return {"ok": True}
    ids = [i.strip() for i in order.group(1).split(",")]
    if is_reask(request):
        only = re.search(r"criteria only, in the same shape: ([^.\n]+)\.", request["messages"][-1]["content"])
        ids = [i.strip() for i in only.group(1).split(",")] if only else ids
    words = answer_of(request).split()

    def quote(k: int) -> str:
        at = (6 * k) % max(1, len(words) - 5) if len(words) > 6 else 0
        return " ".join(words[at:at + 6])

    return {"grader_address": False, "addresses_question": True, "off_question_reason": "",
            "criteria": [{"id": i, "evidence": [quote(k)] if words else [], "rationale": "fixture rationale", "score": 3}
                         for k, i in enumerate(ids)]}


def _planned(request: dict) -> str:
    """The wording an interviewer request asks the model to rephrase (the probe, or the
    question that ends the last instruction)."""
    last = ([m["content"] for m in request["messages"] if m["role"] == "system"] or [""])[-1]
    probe = re.search(r'rephrase: "(.*?)"', last)
    return probe.group(1) if probe else last.strip().split("\n\n")[-1]


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on small writes

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.server.record("GET", self.path, dict(self.headers), None)
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("content-length", 0))
        req = json.loads(self.rfile.read(length) or b"{}")
        self.server.record("POST", self.path, dict(self.headers), req)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self._send(404, {"error": {"message": f"no route {self.path}"}})
        if self.server.latency:
            time.sleep(self.server.latency)
        b = self.server.behaviour
        fmt = (req.get("response_format") or {}).get("type")
        if b == "hang":
            time.sleep(30)
            self.close_connection = True
            return
        if b == "auth":
            return self._send(401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
        if b == "model_not_found":
            return self._send(404, {"error": {"message": f"The model `{req.get('model')}` does not exist", "code": "model_not_found"}})
        if b == "context_length":
            return self._send(400, {"error": {"message": "This model's maximum context length is 2048 tokens", "code": "context_length_exceeded"}})
        if b == "server_error":
            return self._send(500, {"error": {"message": "boom"}})
        if b == "always_429" or (b == "rate_limit_once" and self.server.count_posts() == 1):
            return self._send(429, {"error": {"message": "slow down"}}, {"retry-after": "1"})
        if b == "reject_json_schema" and fmt == "json_schema":
            return self._send(400, {"error": {"message": "response_format json_schema is not supported"}})
        if req.get("stream"):
            return self._stream("Tell me about a decision you made on your own. <think>hidden</think>" + _planned(req))
        judgement = judgement_for(req)
        if self.server.edit and "criteria" in judgement:
            self.server.edit(judgement, req)
        content = json.dumps(judgement)
        finish = "stop"
        if b == "prose_in_json" and fmt in ("json_schema", "json_object"):
            content = "Sure! The candidate did well overall, I would say a three."
        elif b == "think":
            content = f"<think>Let me weigh this.</think>\n```json\n{content}\n```"
        elif b == "truncated":
            content, finish = content[: len(content) // 2], "length"
        elif b in ("vary", "bad_quotes"):
            n = self.server.count_posts()
            for c in judgement.get("criteria", []):
                if b == "vary":
                    c["score"] = [1, 4, 3][(n - 1) % 3]
                else:
                    c["evidence"] = ["words the candidate never said"]
            content = json.dumps(judgement)
        self._send(200, {
            "id": "chatcmpl-fixture", "object": "chat.completion", "created": int(time.time()), "model": req.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish}],
            "usage": {"prompt_tokens": sum(len(m["content"]) // 4 for m in req["messages"]), "completion_tokens": len(content) // 4,
                      "total_tokens": 0},
        })

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        self.close_connection = True
        for piece in re.findall(r"\S+\s*", text):
            chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "fake-model",
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        end = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "fake-model",
               "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connect at once in the benchmarks

    def __init__(self, behaviour: str, latency: float, edit=None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour, self.latency, self.edit = behaviour, latency, edit
        self.requests: list[dict] = []
        self._lock = threading.Lock()

    def record(self, method, path, headers, body):
        with self._lock:
            self.requests.append({"method": method, "path": path, "headers": {k.lower(): v for k, v in headers.items()}, "body": body})

    def handle_error(self, request, client_address):  # a client that hung up mid-reply is expected here
        pass

    def count_posts(self) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r["method"] == "POST")


class FakeOpenAI:
    """Context manager: ``with FakeOpenAI("ok") as fake: fake.base_url``. Stops by itself
    after ``lifetime`` seconds at the latest."""

    def __init__(self, behaviour: str = "ok", latency: float = 0.0, lifetime: float = 300.0, edit=None):
        self.server = FakeServer(behaviour, latency, edit)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.server.shutdown)

    @property
    def requests(self) -> list[dict]:
        return self.server.requests

    def posts(self) -> list[dict]:
        return [r for r in self.server.requests if r["method"] == "POST"]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":  # a standalone server for benchmarks: python tests/fake_openai.py BEHAVIOUR LATENCY LIFETIME
    import sys

    fake = FakeOpenAI(sys.argv[1] if len(sys.argv) > 1 else "ok", float(sys.argv[2]) if len(sys.argv) > 2 else 0.0,
                      float(sys.argv[3]) if len(sys.argv) > 3 else 600.0)
    with fake:
        print(fake.base_url, flush=True)
        fake._timer.join()
