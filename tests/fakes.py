"""A small scripted OpenAI-compatible server on loopback: /v1/chat/completions, streaming or not.

The reply is built from the sources in the prompt it receives (first sentence of sources 1 and 2, cited), so a
test can tell that the prompt really carried the passages. The model name picks a behaviour; a streamed reply can
also be paced by the name: ``stall-first:S`` sends the headers and an empty role chunk, then waits S seconds before
the first text; ``stall-mid:S`` waits S seconds after two pieces of text; ``steady:D`` waits D seconds before every
piece. GET /v1/models lists the models (what a status check asks).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SOURCE = re.compile(r"^\[(\d+)\]《[^》]*》[^\n]*\n([^\n]+)", re.MULTILINE)


def grounded_reply(prompt: str) -> str:
    sources = SOURCE.findall(prompt)
    lines = []
    for item, (n, text) in enumerate(sources[:2], start=1):
        first = re.split(r"(?<=[。；！？])", text)[0]
        lines.append(f"{item}. {first}[{n}]")
    return "\n".join(lines) or "无法回答"


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\W", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def judge_reply(prompt: str) -> str | None:
    """A literal-minded judge: claims are the answer's sentences; a claim is supported when its character
    bigrams are nearly all in the passages. None when the prompt is not a judge prompt."""
    from assistant import prompts

    if prompt.startswith(prompts.JUDGE_CLAIMS_PROMPT.split("{")[0]):
        answer = prompt.split("回答：\n", 1)[1].rsplit("\n\n事实陈述：", 1)[0]
        sentences = [re.sub(r"^\d+\.\s*", "", s).strip() for s in re.split(r"(?<=[。；！？])|\n", answer)]
        claims = [s for s in sentences if s and not s.endswith(("：", ":"))]
        return "\n".join(claims) or prompts.JUDGE_NO_CLAIMS
    if prompt.startswith(prompts.JUDGE_VERIFY_PROMPT.split("{")[0]):
        passages = prompt.split("资料：\n", 1)[1].split("\n\n陈述：\n", 1)[0]
        claims = prompt.split("\n\n陈述：\n", 1)[1].rsplit("\n\n判断：", 1)[0].splitlines()
        known = _bigrams(passages)
        lines = []
        for line in claims:
            number, claim = line.split(". ", 1)
            grams = _bigrams(re.sub(r"\[\d+\]", "", claim))
            overlap = len(grams & known) / max(len(grams), 1)
            verdict = prompts.JUDGE_SUPPORTED if overlap >= 0.9 else prompts.JUDGE_UNSUPPORTED
            lines.append(f"{number}: {verdict}")
        return "\n".join(lines)
    return None


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[dict] = []  # chat completion request bodies
        self.checks: list[str] = []  # paths of GET requests (status checks)
        # Recorded replies by model name: a test replays what a real model wrote (tests/fixtures/model_answers).
        self.replies: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reply_for(self, model: str, prompt: str) -> str:
        if model in self.replies:
            return self.replies[model]
        if model == "judge":
            return judge_reply(prompt) or grounded_reply(prompt)
        if model == "garbage":
            return "这是一段没有任何引用的胡言乱语，月亮是奶酪做的。"
        if model == "wrong-citation":
            return grounded_reply(prompt).replace("[1]", "[9]").replace("[2]", "[1]")
        if model == "refuse":
            from assistant.prompts import CANNOT_ANSWER

            return CANNOT_ANSWER
        if model == "condense":
            return "技术图谱是哪篇文章提出的？" if "后续问题" in prompt else grounded_reply(prompt)
        return grounded_reply(prompt)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                model = body.get("model", "")
                prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
                if model == "error500":
                    self.send_response(500)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b'{"error": {"message": "boom", "type": "server_error"}}')
                    return
                if model == "slow":
                    time.sleep(5)
                behaviour, _, seconds = model.partition(":")
                text = fake.reply_for(behaviour if seconds else model, prompt)
                try:
                    if body.get("stream"):
                        self._stream(model, text, behaviour, float(seconds or 0))
                    else:
                        self._complete(model, text)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting: what a test wants
                    pass

            def do_GET(self) -> None:
                fake.checks.append(self.path)
                if self.path.rstrip("/") != "/v1/models":
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps({"object": "list", "data": [{"id": "good", "object": "model"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _complete(self, model: str, text: str) -> None:
                payload = {
                    "id": "cmpl-1",
                    "object": "chat.completion",
                    "created": 0,
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _chunk(self, model: str, delta: dict) -> None:
                chunk = {
                    "id": "c",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            def _stream(self, model: str, text: str, behaviour: str = "", seconds: float = 0.0) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                if behaviour == "stall-first":  # a server that accepted the request, then never starts the text
                    self._chunk(model, {"role": "assistant", "content": ""})
                    time.sleep(seconds)
                pieces = [text[i : i + 8] for i in range(0, len(text), 8)]
                for i, piece in enumerate(pieces):
                    if behaviour == "stall-mid" and i == 2:
                        time.sleep(seconds)
                    if behaviour == "steady":
                        time.sleep(seconds)
                    delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
                    self._chunk(model, delta)
                done = {
                    "id": "c",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                }
                self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler
