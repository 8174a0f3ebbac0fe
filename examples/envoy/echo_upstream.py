"""A stand-in OpenAI/Anthropic upstream for trying the Envoy example: answers
every chat with "You said: <last user message>", or with a tool call when that
message is "TOOL <name> <json arguments>". Standard library only.

    python3 examples/envoy/echo_upstream.py 8081
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def last_user_text(body):
    for m in reversed(body.get("messages", [])):
        if m.get("role") == "user":
            c = m.get("content")
            return c if isinstance(c, str) else "".join(p.get("text", "") for p in c)
    return ""


def answer(path, body):
    text = last_user_text(body)
    model = body.get("model")
    tool = text[5:].split(" ", 1) if text.startswith("TOOL ") else None
    if path.endswith("/messages"):
        if tool:
            block = {"type": "tool_use", "id": "toolu_1", "name": tool[0], "input": json.loads(tool[1])}
        else:
            block = {"type": "text", "text": "You said: " + text}
        return {"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": [block]}
    msg = {"role": "assistant", "content": "You said: " + text}
    if tool:
        msg = {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": tool[0], "arguments": tool[1]}}]}
    return {"id": "chatcmpl-1", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": msg, "finish_reason": "stop"}]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                data += self.rfile.read(size)
                self.rfile.readline()
        else:
            data = self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.loads(data or b"{}")
        print("upstream got:", json.dumps(body.get("messages")), "model", body.get("model"), flush=True)
        out = json.dumps(answer(self.path, body)).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
