#!/usr/bin/env python3
"""fake_model.py - a scripted stand-in for the model APIs of the agent CLIs.

Speaks, streaming (SSE), OpenAI chat completions (opencode, oh-my-opencode),
Anthropic messages (Claude Code), OpenAI responses (Codex) and Gemini
streamGenerateContent, so that the real CLIs run real tool calls offline.
Listens on 127.0.0.1 only and exits by itself after --idle seconds without a
request.  Standard library only.

The scenario is the first path element after /s/: /s/<scenario>/v1/...
  happy   read input.txt, run `echo hi`, write output.txt, answer "Done."
  sleep   run `echo started && sleep 60 && echo finished` (a long tool call
          to cut the run off; Claude Code 2.1.332 and Qwen Code refuse a
          standalone `sleep 60` before it runs), then "Done."
  sleep-bare  run the standalone `sleep 60`, then "Done." (Claude Code's
          refusal of it, for the fixtures)
  errout  run a command whose output ends in "ERROR: ..." lines, then
          the long command: a cut-off run whose tail starts inside command output
  err401  HTTP 401 with the provider's error body
  err500  HTTP 500
  limit429[-N]  HTTP 429 with the API's own usage/rate-limit error, the
          reset N seconds away (default 120): Anthropic rate_limit_error
          with retry-after and the unified rate-limit headers (reset epoch),
          OpenAI chat rate_limit_exceeded with retry-after ("try again in
          Ns"), Responses usage_limit_reached with resets_at and
          resets_in_seconds, Gemini RESOURCE_EXHAUSTED with QuotaFailure
          and RetryInfo retryDelay "Ns"
  stall   accept the request, never answer
  toolfail, quota, midstall   a failing command, a used-up quota, an
          answer that stops mid-stream (below, with pi, Kilo and Cline's)
Stateless: the turn is the number of tool results after the prompt, read
from the conversation in the request.  A conversation that holds the word
E2E-CONTINUE (the prompt given to a resumed session) is answered with
"Done." at once, whatever the scenario, so a resumed cut-off run completes.
"""

import argparse
import json
import math
import os
import re
import select
import shlex
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESUME_MARK = "E2E-CONTINUE"
INPUT_FILE = "input.txt"
OUTPUT_FILE = "output.txt"
OUTPUT_TEXT = "hello from the fake model\n"
LONG_COMMAND = "echo started && sleep 60 && echo finished"
BARE_SLEEP = "sleep 60"
LIMIT_RESET = 120          # seconds from a limit429 answer to its reset
ERROUT_COMMAND = "seq 1 80; echo 'ERROR: a line of the command output'"

last_request = time.monotonic()
stopping = threading.Event()
counter_lock = threading.Lock()
counter = 0


def next_id():
    global counter
    with counter_lock:
        counter += 1
        return counter


# --- the script -------------------------------------------------------------
# A step is (text, tool) where tool is None (the final answer) or a
# (kind, arg) pair: ("read", path), ("shell", command), ("write", path).

def script(scenario, turn):
    if scenario == "happy":
        steps = [("I'll read the input file first.", ("read", INPUT_FILE)),
                 ("Now a shell command.", ("shell", "echo hi")),
                 ("Writing the output file.", ("write", OUTPUT_FILE)),
                 ("Done.", None)]
    elif scenario == "sleep":
        steps = [("Running a long command.", ("shell", LONG_COMMAND)),
                 ("Done.", None)]
    elif scenario == "sleep-bare":
        steps = [("Running a long command.", ("shell", BARE_SLEEP)),
                 ("Done.", None)]
    elif scenario == "errout":
        steps = [("Listing.", ("shell", ERROUT_COMMAND)),
                 ("Running a long command.", ("shell", LONG_COMMAND)),
                 ("Done.", None)]
    elif scenario in MORE_SCRIPTS:
        steps = MORE_SCRIPTS[scenario]
    else:
        steps = [("Done.", None)]
    return steps[min(turn, len(steps) - 1)]


def text_of(obj):
    """Every string inside a JSON value, joined: for marker searches."""
    out = []

    def walk(v):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
    walk(obj)
    return "\n".join(out)


def pick(props, *names):
    """The first of names that the tool's parameter schema declares."""
    for n in names:
        if n in props:
            return n
    return names[0]


def patch_for(path, content=OUTPUT_TEXT):
    body = "".join("+" + line + "\n" for line in content.splitlines())
    return "*** Begin Patch\n*** Add File: %s\n%s*** End Patch" % (path, body)


def workdir_of(text):
    m = re.search(r"E2E-DIR=(\S+)", text)
    return m.group(1) if m else None


# --- Factory Droid (droid exec) ---------------------------------------------
# Droid's tools: Read{file_path}, Create{file_path, content} and
# Execute{summary, command, riskLevel, riskLevelReason, timeout}.  Droid
# refuses an Execute whose summary is not a short sentence-cased
# description (3 to 8 words), and one without a risk level.

def droid_tool(kind, arg, names, props, absolute, content):
    """A write or shell step as Droid's Create or Execute, else (None, None)."""
    if kind == "write" and "Create" in names:
        p = props("Create")
        return "Create", {pick(p, "file_path", "filePath", "path"): absolute(arg),
                          pick(p, "content", "contents"): content}
    if kind == "shell" and "Execute" in names:
        p = props("Execute")
        risk = p.get("riskLevel") or {}
        levels = risk.get("enum") or ["low"]
        args = {pick(p, "command"): arg,
                "summary": "Run the %s command here" % arg.split()[0],
                "riskLevel": "low" if "low" in levels else levels[0],
                "riskLevelReason": "It only prints or reads in the project"}
        return "Execute", args
    return None, None


def choose_tool(kind, arg, tools, wdir, content=OUTPUT_TEXT):
    """Maps a scripted step onto the tools this agent offered: returns
    (name, arguments dict) or (name, raw string) for a freeform tool.
    A write writes content."""
    def absolute(p):
        return os.path.join(wdir, p) if wdir and not os.path.isabs(p) else p

    names = {t["name"]: t for t in tools}

    def props(name):
        schema = names[name].get("schema") or {}
        return schema.get("properties") or {}

    mapped = cline_tool(kind, arg, names, props, absolute, content)
    if mapped:
        return mapped
    shell = next((n for n in ("bash", "Bash", "run_shell_command", "exec_command",
                              "shell") if n in names), None)
    mapped = copilot_qwen_tool(kind, arg, names, props, absolute, content)
    if mapped:
        return mapped
    name, args = droid_tool(kind, arg, names, props, absolute, content)
    if name:
        return name, args
    if kind == "read":
        for n in ("read", "Read", "read_file"):
            if n in names:
                p = props(n)
                return n, {pick(p, "filePath", "file_path", "path"): absolute(arg)}
        kind, arg = "shell", "cat " + arg
    if kind == "write":
        for n in ("write", "Write", "write_file"):
            if n in names:
                p = props(n)
                return n, {pick(p, "filePath", "file_path", "path"): absolute(arg),
                           pick(p, "content", "contents"): content}
        if "apply_patch" in names:
            t = names["apply_patch"]
            if t.get("freeform"):
                return "apply_patch", patch_for(arg, content)
            p = props("apply_patch")
            return "apply_patch", {pick(p, "patchText", "input", "patch"): patch_for(arg, content)}
        kind, arg = "shell", "printf %%s %s > %s" % (shlex.quote(content), shlex.quote(arg))
    if kind == "shell" and shell:
        p = props(shell)
        args = {pick(p, "command", "cmd"): arg}
        if "description" in p:
            args["description"] = "Runs " + arg.split()[0]
        if "workdir" in p and wdir:
            args["workdir"] = wdir
        if "yield_time_ms" in p:
            args["yield_time_ms"] = 10000
        return shell, args
    return None, None


def plan_turn(scenario, convo_text, turn, tools):
    """(text, tool name or None, tool arguments) for this request."""
    if isinstance(scenario, ToyRequest):
        return toy_turn(scenario, turn, tools)
    if RESUME_MARK in convo_text:
        return "Done.", None, None
    text, step = script(scenario, turn)
    if step is None:
        return text, None, None
    name, args = choose_tool(step[0], step[1], tools, workdir_of(convo_text))
    if name is None:
        return "No tool to run here. Done.", None, None
    return text, name, args


# --- GitHub Copilot CLI and Qwen Code ---------------------------------------
# Copilot reads with view{path} and writes with create{path, file_text};
# Qwen Code reads with read_file{absolute_path}.  Their shells (bash,
# run_shell_command) take command and description, as above.  After every
# turn Qwen Code sends a side request of its own, with tools, for its
# "managed memory extraction subagent": answered in plain text, never with
# the scenario's next step.

QWEN_SIDE = re.compile(r"managed memory extraction subagent")


def copilot_qwen_tool(kind, arg, names, props, absolute, content):
    """(name, arguments) for Copilot's view and create and Qwen Code's
    read_file; None when the agent offers none of them."""
    if kind == "read" and "view" in names:
        return "view", {pick(props("view"), "path"): absolute(arg)}
    if kind == "read" and "read_file" in names and "absolute_path" in props("read_file"):
        return "read_file", {"absolute_path": absolute(arg)}
    if kind == "write" and "create" in names:
        p = props("create")
        return "create", {pick(p, "path"): absolute(arg),
                          pick(p, "file_text", "content"): content}
    return None


def unhex_scenario(token):
    """A scenario named in hex after an "x" (/s/x657272343031/v1 is
    err401): Copilot CLI prints its provider's URL in its error messages,
    and a scenario's name there ("err500") would read as the error's own
    words."""
    if re.fullmatch(r"x(?:[0-9a-f]{2})+", token):
        try:
            return bytes.fromhex(token[1:]).decode()
        except ValueError:
            pass
    return token


def qwen_side_call(msgs):
    """Whether a chat request is Qwen Code's own memory extraction."""
    return any(x.get("role") == "system" and QWEN_SIDE.search(text_of(x.get("content")))
               for x in msgs)
# --- end of GitHub Copilot CLI and Qwen Code ---------------------------------


# --- the toy project of the phases test (tests/e2e/phases.sh) ---------------
# greet, a POSIX sh tool written in four phases (tests/e2e/toy/phases/*.md),
# each phase a scenario with its fault:
#   toy-greet     cut off: a long command (the test stops the run during it)
#   toy-shout     stalls: the second request is accepted and never answered
#   toy-docs      usage limit: every request of the first session gets HTTP
#                 429, the reset TOY_LIMIT_RESET s after it; a resumed session
#                 gets through once that time has passed (429 again before)
#   toy-greetall  its first verification fails: the resumed session fixes it
# A phase's script has one part for its first session and one for any
# session resumed from it (a conversation with more than one prompt): a
# resumed session does the rest of the phase, whatever the resume prompt
# says.  Within a session the turn counts tool results, as above.  The only
# state kept is when a toy-docs limit resets, per scenario and session (the
# CLI's session header, else the first prompt).  Speaks the Anthropic
# messages and OpenAI chat APIs (Claude Code, opencode).

TOY_LONG_COMMAND = "echo started && sleep 60 && echo finished"
TOY_VERIFY = "make check 2>&1"
TOY_LIMIT_RESET = 2

TOY_GREET = """#!/bin/sh
# greet: says hello to NAME, or to the world
printf 'Hello, %s!\\n' "${1:-world}"
"""
TOY_TEST_GREET = """#!/bin/sh
# greet's output with and without a name
set -e
test "$(sh ./greet)" = "Hello, world!"
test "$(sh ./greet Ada)" = "Hello, Ada!"
"""
TOY_SHOUT = """#!/bin/sh
# shout: greet, in upper case
sh "$(dirname "$0")/greet" "$@" | tr '[:lower:]' '[:upper:]'
"""
TOY_TEST_SHOUT = """#!/bin/sh
# shout's output with and without a name
set -e
test "$(sh ./shout)" = "HELLO, WORLD!"
test "$(sh ./shout Ada)" = "HELLO, ADA!"
"""
TOY_DOCS = """GREET(1)

NAME
    greet - says hello

SYNOPSIS
    greet [NAME]

DESCRIPTION
    greet prints "Hello, NAME!", or "Hello, world!" without a NAME.

EXIT STATUS
    0
"""
TOY_TEST_DOCS = """#!/bin/sh
# the manual names greet's synopsis
grep -q '^ *greet \\[NAME\\]$' docs/greet.txt
"""
TOY_GREET_ALL_WRONG = """#!/bin/sh
# greet-all: greets every name read from standard input, one a line
while IFS= read -r name; do
	printf 'Hello %s\\n' "$name"
done
"""
TOY_GREET_ALL = """#!/bin/sh
# greet-all: greets every name read from standard input, one a line
while IFS= read -r name; do
	sh "$(dirname "$0")/greet" "$name"
done
"""
TOY_TEST_GREET_ALL = """#!/bin/sh
# two names in, two greetings out, in order
set -e
test "$(printf 'Ada\\nBob\\n' | sh ./greet-all)" = "$(printf 'Hello, Ada!\\nHello, Bob!')"
"""

# A step: (text, action); action None is the final answer, else ("write",
# path, content), ("read", path), ("shell", command), or a fault that takes
# no turn: ("stall",) or ("limit",).
TOY_CHECK = ("Running the checks.", ("shell", TOY_VERIFY))
TOY_PHASES = {
    "toy-greet": (
        [("Writing greet.", ("write", "greet", TOY_GREET)),
         ("Running the slow set-up.", ("shell", TOY_LONG_COMMAND)),
         ("Writing its test.", ("write", "tests/greet.sh", TOY_TEST_GREET)),
         TOY_CHECK, ("Done: make check passes.", None)],
        [("Writing the test that is still missing.",
          ("write", "tests/greet.sh", TOY_TEST_GREET)),
         TOY_CHECK, ("Done: make check passes.", None)]),
    "toy-shout": (
        [("Writing shout.", ("write", "shout", TOY_SHOUT)),
         ("", ("stall",))],
        [("Writing the test that is still missing.",
          ("write", "tests/shout.sh", TOY_TEST_SHOUT)),
         TOY_CHECK, ("Done: make check passes.", None)]),
    "toy-docs": (
        [("", ("limit",)),
         ("Writing the manual.", ("write", "docs/greet.txt", TOY_DOCS)),
         ("Writing its test.", ("write", "tests/docs.sh", TOY_TEST_DOCS)),
         TOY_CHECK, ("Done: make check passes.", None)],
        [("", ("limit",)),
         ("Writing the manual.", ("write", "docs/greet.txt", TOY_DOCS)),
         ("Writing its test.", ("write", "tests/docs.sh", TOY_TEST_DOCS)),
         TOY_CHECK, ("Done: make check passes.", None)]),
    "toy-greetall": (
        [("Writing greet-all.", ("write", "greet-all", TOY_GREET_ALL_WRONG)),
         ("Writing its test.", ("write", "tests/greet-all.sh", TOY_TEST_GREET_ALL)),
         TOY_CHECK, ("Done.", None)],
        [("Reading greet-all again.", ("read", "greet-all")),
         ("Fixing greet-all: it must print what greet prints.",
          ("write", "greet-all", TOY_GREET_ALL)),
         TOY_CHECK, ("Done: make check passes now.", None)]),
}

toy_limit_lock = threading.Lock()
toy_limits = {}   # (scenario, session key) -> when the limit resets


class ToyRequest(str):
    """A toy scenario's name with what this request of it is: the session
    (0 first, 1 resumed), the project directory, and the fault it meets
    (None, "stall" or "limit", then reset_in seconds)."""
    session = 0
    wdir = None
    fault = None
    reset_in = 0
    step = None


# Texts in user messages that no user typed: Claude Code's reminders and its
# interrupt notes.
TOY_NOT_PROMPT = re.compile(r"^\s*(?:<system-reminder>|\[Request interrupted)")


def toy_view(api, body):
    """(the prompts, the turn, the system text) of a request."""
    prompts, turn = [], 0
    if api == "anthropic":
        system = text_of(body.get("system"))
        for x in body.get("messages") or []:
            c = x.get("content")
            if x.get("role") != "user":
                continue
            if isinstance(c, str):
                c = [{"type": "text", "text": c}]
            texts = [b.get("text", "") for b in c
                     if isinstance(b, dict) and b.get("type") == "text"
                     and not TOY_NOT_PROMPT.match(b.get("text", ""))]
            results = sum(1 for b in c if isinstance(b, dict) and b.get("type") == "tool_result")
            if texts:
                prompts += texts
                turn = 0
            turn += results
    else:
        msgs = body.get("messages") or []
        system = text_of([x.get("content") for x in msgs if x.get("role") == "system"])
        for x in msgs:
            if x.get("role") == "user":
                t = text_of(x.get("content"))
                if not TOY_NOT_PROMPT.match(t):
                    prompts.append(t)
                    turn = 0
            elif x.get("role") == "tool":
                turn += 1
    return prompts, turn, system


def toy_request(scenario, api, body, headers):
    req = ToyRequest(scenario)
    if api not in ("anthropic", "openai"):
        req.fault = "unsupported"
        return req
    prompts, turn, system = toy_view(api, body)
    m = re.search(r"[Ww]orking directory: *(/\S+)", system)
    req.wdir = m.group(1) if m else None
    req.session = 1 if len(prompts) > 1 else 0
    steps = TOY_PHASES[scenario][req.session]
    i = 0
    for text, action in steps:
        if action and action[0] == "stall":
            req.fault = "stall"
            return req
        if action and action[0] == "limit":
            key = (scenario, headers.get("X-Claude-Code-Session-Id") or
                   headers.get("x-session-id") or (prompts[0] if prompts else ""))
            now = time.time()
            with toy_limit_lock:
                until = toy_limits.get(key, 0)
                if req.session == 0:
                    # a whole second: the reset an agent reads (epoch
                    # seconds, or Retry-After after Date) is not before it
                    until = toy_limits[key] = math.ceil(now) + TOY_LIMIT_RESET
            if now < until:
                req.fault = "limit"
                req.reset_in = max(1, int(until - now + 0.999))
                return req
            continue
        if i == turn or action is None:
            req.step = (text, action)
            return req
        i += 1
    req.step = steps[-1]
    return req


def toy_turn(req, turn, tools):
    """(text, tool name or None, tool arguments): the step toy_request found."""
    text, action = req.step
    if action is None:
        return text, None, None
    kind, arg = action[0], action[1]
    content = action[2] if kind == "write" else OUTPUT_TEXT
    name, args = choose_tool(kind, arg, tools, req.wdir, content)
    if name is None:
        return "No tool to run here. Done.", None, None
    return text, name, args


def toy_hold(conn):
    """A stall: answers nothing until the client goes away or the server
    stops."""
    while not stopping.wait(1):
        try:
            r, _, _ = select.select([conn], [], [], 0)
            if r and not conn.recv(1, socket.MSG_PEEK):
                return
        except OSError:
            return


# --- HTTP --------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-model/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_model: " + (fmt % args) + "\n")

    def record(self, body):
        d = self.server.dump
        if not d:
            return
        n = next_id()
        with open(os.path.join(d, "%04d.json" % n), "w") as f:
            json.dump({"path": self.path, "headers": dict(self.headers),
                       "body": body}, f, indent=1)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def send_json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def start_sse(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def event(self, data, name=None):
        s = ""
        if name:
            s += "event: %s\n" % name
        s += "data: %s\n\n" % (data if isinstance(data, str) else json.dumps(data))
        self.wfile.write(s.encode())
        self.wfile.flush()

    def do_GET(self):
        global last_request
        last_request = time.monotonic()
        self.record(None)
        if self.path.rstrip("/").endswith("/models"):
            self.send_json(200, {"object": "list", "data": [
                {"id": "fake-model", "object": "model", "owned_by": "fake"},
                {"id": "gpt-5.5", "object": "model", "owned_by": "fake"}]})
        else:
            self.send_json(404, {"error": {"message": "not found: " + self.path}})

    def do_POST(self):
        global last_request
        last_request = time.monotonic()
        body = self.read_body()
        self.record(body)
        m = re.match(r"^/s/([A-Za-z0-9_-]+)(/.*)$", self.path)
        if not m:
            self.send_json(404, {"error": {"message": "no scenario in " + self.path}})
            return
        scenario, rest = unhex_scenario(m.group(1)), m.group(2).split("?")[0]
        if rest.endswith("/chat/completions"):
            api = "openai"
        elif rest.endswith("/messages/count_tokens"):
            self.send_json(200, {"input_tokens": 100})
            return
        elif rest.endswith("/messages"):
            api = "anthropic"
        elif rest.endswith("/responses"):
            api = "responses"
        elif ":countTokens" in rest:
            self.send_json(200, {"totalTokens": 100})
            return
        elif ":streamGenerateContent" in rest or ":generateContent" in rest:
            api = "gemini"
        else:
            self.send_json(404, {"error": {"message": "unknown endpoint " + rest}})
            return
        if scenario in TOY_PHASES and body.get("tools"):
            scenario = toy_request(scenario, api, body, self.headers)
            if scenario.fault == "stall":
                toy_hold(self.connection)
                return
            if scenario.fault == "unsupported":
                self.send_json(404, {"error": {"message": "no toy scenarios for " + api}})
                return
            if scenario.fault == "limit":
                self.limit(api, scenario.reset_in)
                return
        if scenario in MORE_ANSWERS:
            MORE_ANSWERS[scenario](self, api)
            return
        if scenario == "stall":
            # Hold the connection open, answer nothing, until the server stops.
            while not stopping.wait(1):
                pass
            return
        if scenario in ("err401", "err500"):
            self.error(api, int(scenario[3:]))
            return
        lim = re.match(r"^limit429(?:-([0-9]+))?$", scenario)
        if lim:
            self.limit(api, int(lim.group(1) or LIMIT_RESET))
            return
        getattr(self, "api_" + api)(scenario, body, rest)

    def error(self, api, code):
        if api == "anthropic":
            kind = "authentication_error" if code == 401 else "api_error"
            msg = "invalid x-api-key" if code == 401 else "fake internal server error"
            self.send_json(code, {"type": "error", "error": {"type": kind, "message": msg}})
        elif api == "gemini":
            status = "UNAUTHENTICATED" if code == 401 else "INTERNAL"
            msg = ("API key not valid. Please pass a valid API key." if code == 401
                   else "fake internal server error")
            self.send_json(code, {"error": {"code": code, "message": msg, "status": status}})
        else:
            if code == 401:
                err = {"message": "Incorrect API key provided: x",
                       "type": "invalid_request_error", "code": "invalid_api_key"}
            else:
                err = {"message": "fake internal server error", "type": "server_error",
                       "code": None}
            self.send_json(code, {"error": err})

    def limit(self, api, secs):
        """HTTP 429 as each provider sends a usage or rate limit, the reset
        secs seconds from now, in the body and headers that API uses."""
        reset = int(time.time()) + secs
        headers = {"retry-after": str(secs)}
        if api == "anthropic":
            # The unified headers are what Claude Code reads for a claude.ai
            # subscription's limit (resetsAt, its "resets ..." wording).
            headers.update({"anthropic-ratelimit-unified-status": "rejected",
                            "anthropic-ratelimit-unified-reset": str(reset),
                            "anthropic-ratelimit-unified-representative-claim": "five_hour",
                            "anthropic-ratelimit-unified-5h-utilization": "1.0",
                            "anthropic-ratelimit-unified-5h-reset": str(reset)})
            body = {"type": "error", "error": {
                "type": "rate_limit_error",
                "message": "This request would exceed your account's rate limit. "
                           "Please try again later."}}
        elif api == "gemini":
            body = {"error": {
                "code": 429, "status": "RESOURCE_EXHAUSTED",
                "message": "You exceeded your current quota, please check your plan and "
                           "billing details. Please retry in %ds." % secs,
                "details": [
                    {"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                     "violations": [{
                         "quotaMetric": "generativelanguage.googleapis.com/"
                                        "generate_content_free_tier_requests",
                         "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                         "quotaDimensions": {"location": "global",
                                             "model": "gemini-2.5-flash"},
                         "quotaValue": "10"}]},
                    {"@type": "type.googleapis.com/google.rpc.Help", "links": [{
                        "description": "Learn more about Gemini API quotas",
                        "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
                    {"@type": "type.googleapis.com/google.rpc.RetryInfo",
                     "retryDelay": "%ds" % secs}]}}
        elif api == "responses":
            body = {"error": {
                "type": "usage_limit_reached",
                "message": "The usage limit has been reached",
                "plan_type": "plus", "resets_at": reset, "resets_in_seconds": secs}}
        else:
            body = {"error": {
                "message": "Rate limit reached for fake-model in organization org-fake on "
                           "requests per min (RPM): Limit 3, Used 3, Requested 1. "
                           "Please try again in %ds." % secs,
                "type": "requests", "param": None, "code": "rate_limit_exceeded"}}
        data = json.dumps(body).encode()
        self.send_response(429)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    # OpenAI chat completions: opencode, oh-my-opencode.
    def api_openai(self, scenario, body, rest):
        msgs = body.get("messages") or []
        tools = [{"name": t["function"]["name"], "schema": t["function"].get("parameters")}
                 for t in body.get("tools") or [] if t.get("type") == "function"]
        model = body.get("model", "fake-model")
        last_user = max((i for i, x in enumerate(msgs) if x.get("role") == "user"), default=-1)
        turn = sum(1 for x in msgs[last_user + 1:] if x.get("role") == "tool")
        convo = text_of([x.get("content") for x in msgs if x.get("role") == "user"])
        if not tools or qwen_side_call(msgs):
            # A side call without tools: opencode's title generator and the like.
            sysmsg = text_of([x.get("content") for x in msgs if x.get("role") == "system"])
            text = "Fake task" if "title" in sysmsg.lower() else "Done."
            name = args = None
        else:
            text, name, args = plan_turn(scenario, convo, turn, tools)
        cid = "chatcmpl-%d" % next_id()
        created = int(time.time())

        def chunk(delta, finish=None):
            return {"id": cid, "object": "chat.completion.chunk", "created": created,
                    "model": model, "choices": [{"index": 0, "delta": delta,
                                                 "finish_reason": finish}]}
        self.start_sse()
        self.event(chunk({"role": "assistant", "content": ""}))
        for piece in re.findall(r"\S+\s*", text):
            self.event(chunk({"content": piece}))
        if name:
            call = {"index": 0, "id": "call_%08d" % next_id(), "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)}}
            self.event(chunk({"tool_calls": [call]}))
            self.event(chunk({}, "tool_calls"))
        else:
            self.event(chunk({}, "stop"))
        self.event({"id": cid, "object": "chat.completion.chunk", "created": created,
                    "model": model, "choices": [],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10,
                              "total_tokens": 110}})
        self.event("[DONE]")

    # Anthropic messages: Claude Code.
    def api_anthropic(self, scenario, body, rest):
        msgs = body.get("messages") or []
        tools = [{"name": t.get("name"), "schema": t.get("input_schema")}
                 for t in body.get("tools") or [] if t.get("name")]

        def is_prompt(x):
            c = x.get("content")
            if x.get("role") != "user":
                return False
            if isinstance(c, str):
                return True
            return not any(isinstance(b, dict) and b.get("type") == "tool_result" for b in c)
        last_user = max((i for i, x in enumerate(msgs) if is_prompt(x)), default=-1)
        turn = 0
        for x in msgs[last_user + 1:]:
            c = x.get("content")
            if x.get("role") == "user" and isinstance(c, list):
                turn += sum(1 for b in c if isinstance(b, dict) and b.get("type") == "tool_result")
        convo = text_of([x.get("content") for x in msgs if x.get("role") == "user"])
        if tools:
            text, name, args = plan_turn(scenario, convo, turn, tools)
        else:
            text, name, args = "Fake task", None, None
        model = body.get("model", "claude-fake")
        self.start_sse()
        self.event({"type": "message_start", "message": {
            "id": "msg_fake%06d" % next_id(), "type": "message", "role": "assistant",
            "model": model, "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 100, "output_tokens": 1,
                      "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}},
            "message_start")
        self.event({"type": "content_block_start", "index": 0,
                    "content_block": {"type": "text", "text": ""}}, "content_block_start")
        for piece in re.findall(r"\S+\s*", text):
            self.event({"type": "content_block_delta", "index": 0,
                        "delta": {"type": "text_delta", "text": piece}}, "content_block_delta")
        self.event({"type": "content_block_stop", "index": 0}, "content_block_stop")
        if name:
            self.event({"type": "content_block_start", "index": 1, "content_block": {
                "type": "tool_use", "id": "toolu_fake%08d" % next_id(), "name": name,
                "input": {}}}, "content_block_start")
            self.event({"type": "content_block_delta", "index": 1, "delta": {
                "type": "input_json_delta", "partial_json": json.dumps(args)}},
                "content_block_delta")
            self.event({"type": "content_block_stop", "index": 1}, "content_block_stop")
        self.event({"type": "message_delta", "delta": {
            "stop_reason": "tool_use" if name else "end_turn", "stop_sequence": None},
            "usage": {"output_tokens": 10}}, "message_delta")
        self.event({"type": "message_stop"}, "message_stop")

    # OpenAI responses: Codex.
    def api_responses(self, scenario, body, rest):
        items = body.get("input") or []
        if isinstance(items, str):
            items = [{"type": "message", "role": "user", "content": items}]
        tools = []
        for t in body.get("tools") or []:
            if t.get("type") == "function":
                tools.append({"name": t.get("name"), "schema": t.get("parameters")})
            elif t.get("type") == "custom":
                tools.append({"name": t.get("name"), "freeform": True})
        last_user = max((i for i, x in enumerate(items)
                         if x.get("type", "message") == "message" and x.get("role") == "user"),
                        default=-1)
        turn = sum(1 for x in items[last_user + 1:]
                   if str(x.get("type", "")).endswith("_output"))
        convo = text_of([x.get("content") for x in items if x.get("role") == "user"])
        if tools:
            text, name, args = plan_turn(scenario, convo, turn, tools)
        else:
            text, name, args = "Fake task", None, None
        rid = "resp_fake%06d" % next_id()
        model = body.get("model", "gpt-5.5")
        self.start_sse()
        self.event({"type": "response.created", "response": {
            "id": rid, "object": "response", "status": "in_progress", "model": model,
            "output": []}}, "response.created")
        mid = "msg_fake%06d" % next_id()
        msg = {"type": "message", "id": mid, "role": "assistant", "status": "completed",
               "content": [{"type": "output_text", "text": text, "annotations": []}]}
        self.event({"type": "response.output_item.added", "output_index": 0, "item": {
            "type": "message", "id": mid, "role": "assistant", "status": "in_progress",
            "content": []}}, "response.output_item.added")
        self.event({"type": "response.output_text.delta", "item_id": mid, "output_index": 0,
                    "content_index": 0, "delta": text}, "response.output_text.delta")
        self.event({"type": "response.output_item.done", "output_index": 0, "item": msg},
                   "response.output_item.done")
        output = [msg]
        if name:
            cid = "call_fake%08d" % next_id()
            if isinstance(args, str):
                item = {"type": "custom_tool_call", "id": "ctc_%s" % cid, "call_id": cid,
                        "name": name, "input": args, "status": "completed"}
            else:
                item = {"type": "function_call", "id": "fc_%s" % cid, "call_id": cid,
                        "name": name, "arguments": json.dumps(args), "status": "completed"}
            self.event({"type": "response.output_item.added", "output_index": 1,
                        "item": item}, "response.output_item.added")
            self.event({"type": "response.output_item.done", "output_index": 1,
                        "item": item}, "response.output_item.done")
            output.append(item)
        self.event({"type": "response.completed", "response": {
            "id": rid, "object": "response", "status": "completed", "model": model,
            "output": output,
            "usage": {"input_tokens": 100, "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens": 10, "output_tokens_details": {"reasoning_tokens": 0},
                      "total_tokens": 110}}}, "response.completed")

    # Gemini generateContent / streamGenerateContent: Gemini CLI.
    def api_gemini(self, scenario, body, rest):
        gen = body.get("generationConfig") or {}
        schema = gen.get("responseJsonSchema") or gen.get("responseSchema")
        usage = {"promptTokenCount": 100, "candidatesTokenCount": 10, "totalTokenCount": 110}
        if schema:
            # A side call that wants JSON (the model router's classifier).
            text = json.dumps(fill_schema(schema))
            resp = {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]},
                                    "finishReason": "STOP", "index": 0}],
                    "usageMetadata": usage}
            if ":streamGenerateContent" in rest:
                self.start_sse()
                self.event(resp)
            else:
                self.send_json(200, resp)
            return
        contents = body.get("contents") or []

        def is_prompt(x):
            return x.get("role") == "user" and any(
                "text" in p for p in x.get("parts") or [])
        last_user = max((i for i, x in enumerate(contents) if is_prompt(x)), default=-1)
        turn = sum(1 for x in contents[last_user + 1:] for p in x.get("parts") or []
                   if "functionResponse" in p)
        tools = []
        for t in body.get("tools") or []:
            for f in t.get("functionDeclarations") or []:
                tools.append({"name": f.get("name"),
                              "schema": f.get("parametersJsonSchema") or f.get("parameters")})
        convo = text_of([x.get("parts") for x in contents if x.get("role") == "user"])
        if tools:
            text, name, args = plan_turn(scenario, convo, turn, tools)
        else:
            text, name, args = "Fake task", None, None
        parts = [{"text": text}]
        if name:
            parts.append({"functionCall": {"name": name, "args": args}})
        resp = {"candidates": [{"content": {"role": "model", "parts": parts},
                                "finishReason": "STOP", "index": 0}],
                "usageMetadata": usage, "modelVersion": "fake"}
        if ":streamGenerateContent" in rest:
            self.start_sse()
            self.event(resp)
        else:
            self.send_json(200, resp)


# --- pi, Kilo and Cline (tests/e2e/capture/) --------------------------------
# The cases their fixtures need beyond the scenarios above, and Cline's tools:
#   toolfail  run a command that fails (ls of a missing path, exit 2), then
#             "Done.": a failing tool the run goes on after
#   quota     HTTP 429 with the provider's "quota exhausted" error, no reset
#             (OpenAI chat and responses insufficient_quota; Gemini a daily
#             quota)
#   midstall  starts streaming the answer, then never finishes it (until the
#             client goes away)

FAIL_COMMAND = "ls /nonexistent-e2e-path"
MORE_SCRIPTS = {
    "toolfail": [("Listing a directory that is not there.", ("shell", FAIL_COMMAND)),
                 ("Done.", None)],
}
MIDSTALL_TEXT = "Let me look at the input file and think about"


def cline_tool(kind, arg, names, props, absolute, content):
    """Cline's tools take lists: read_files{files:[{path}]},
    run_commands{commands:[...]}; it writes with editor{path,new_text}.
    (name, arguments) or None when the agent offers none of them."""
    def items_are_strings(name, key):
        items = (props(name).get(key) or {}).get("items") or {}
        return items.get("type") == "string"
    if kind == "read" and "read_files" in names:
        f = absolute(arg)
        return "read_files", {"files": [f] if items_are_strings("read_files", "files")
                              else [{"path": f}]}
    if kind == "write" and "editor" in names:
        p = props("editor")
        return "editor", {pick(p, "path", "file_path"): absolute(arg),
                          pick(p, "new_text", "content"): content}
    if kind in ("shell", "read", "write") and "run_commands" in names:
        if kind == "read":
            arg = "cat " + shlex.quote(arg)
        elif kind == "write":
            arg = "printf %%s %s > %s" % (shlex.quote(content), shlex.quote(arg))
        return "run_commands", {"commands": [arg] if items_are_strings("run_commands", "commands")
                                else [{"command": arg}]}
    return None


def answer_quota(h, api):
    """HTTP 429 as each API says that the account's quota is used up."""
    msg = ("You exceeded your current quota, please check your plan and billing "
           "details. For more information on this error, read the docs: "
           "https://platform.openai.com/docs/guides/error-codes/api-errors.")
    if api == "gemini":
        body = {"error": {
            "code": 429, "status": "RESOURCE_EXHAUSTED",
            "message": "You exceeded your current quota, please check your plan and "
                       "billing details.",
            "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                         "violations": [{
                             "quotaMetric": "generativelanguage.googleapis.com/"
                                            "generate_content_free_tier_requests",
                             "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
                             "quotaValue": "250"}]}]}}
    elif api == "anthropic":
        h.send_json(404, {"type": "error", "error": {
            "type": "not_found_error", "message": "no quota scenario for this API"}})
        return
    else:
        body = {"error": {"message": msg, "type": "insufficient_quota", "param": None,
                          "code": "insufficient_quota"}}
    h.send_json(429, body)


def answer_midstall(h, api):
    """The first words of an answer, streamed, then nothing."""
    if api == "openai":
        cid = "chatcmpl-%d" % next_id()
        created = int(time.time())
        h.start_sse()
        h.event({"id": cid, "object": "chat.completion.chunk", "created": created,
                 "model": "fake-model", "choices": [{"index": 0, "delta": {
                     "role": "assistant", "content": ""}, "finish_reason": None}]})
        for piece in re.findall(r"\S+\s*", MIDSTALL_TEXT):
            h.event({"id": cid, "object": "chat.completion.chunk", "created": created,
                     "model": "fake-model", "choices": [{"index": 0, "delta": {
                         "content": piece}, "finish_reason": None}]})
    elif api == "anthropic":
        h.start_sse()
        h.event({"type": "message_start", "message": {
            "id": "msg_fake%06d" % next_id(), "type": "message", "role": "assistant",
            "model": "claude-fake", "content": [], "stop_reason": None,
            "stop_sequence": None, "usage": {"input_tokens": 100, "output_tokens": 1}}},
            "message_start")
        h.event({"type": "content_block_start", "index": 0,
                 "content_block": {"type": "text", "text": ""}}, "content_block_start")
        for piece in re.findall(r"\S+\s*", MIDSTALL_TEXT):
            h.event({"type": "content_block_delta", "index": 0,
                     "delta": {"type": "text_delta", "text": piece}}, "content_block_delta")
    else:
        h.send_json(404, {"error": {"message": "no midstall scenario for " + api}})
        return
    toy_hold(h.connection)


MORE_ANSWERS = {"quota": answer_quota, "midstall": answer_midstall}
# --- end of pi, Kilo and Cline ----------------------------------------------


def fill_schema(s):
    """A value that satisfies a JSON schema, for structured side calls."""
    t = s.get("type")
    if isinstance(t, list):
        t = t[0]
    t = (t or "object").lower()
    if "enum" in s:
        return s["enum"][0]
    if t == "object":
        props = s.get("properties") or {}
        return {k: fill_schema(v) for k, v in props.items()}
    if t == "array":
        return []
    if t in ("integer", "number"):
        return s.get("minimum", 1)
    if t == "boolean":
        return False
    return "simple"


def main():
    ap = argparse.ArgumentParser(description="scripted fake model API for e2e tests")
    ap.add_argument("--port", type=int, default=0, help="0: any free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--idle", type=float, default=900,
                    help="exit after this many seconds without a request")
    ap.add_argument("--dump", help="directory to write every request into")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.verbose = a.verbose
    srv.dump = a.dump
    if a.dump:
        os.makedirs(a.dump, exist_ok=True)
    port = srv.server_address[1]
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, a.port_file)

    def watchdog():
        while time.monotonic() - last_request < a.idle:
            time.sleep(1)
        stopping.set()
        srv.shutdown()
    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever(poll_interval=0.5)
    srv.server_close()


if __name__ == "__main__":
    main()
