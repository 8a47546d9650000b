#!/usr/bin/env python3
"""Records what the real AWS CLI v1 sends, as the oracle for the engine's `aws ecs` console.

The table is one JSON-lines file, crates/ecs-engine/src/aws_cli/oracle.jsonl. Each record is
either a command line with what the CLI did with it:
  {"line": "aws ecs list-clusters", "target": "AmazonEC2ContainerServiceV20141113.ListClusters",
   "body": "{}"}                                    the request it sent (body text, byte for byte)
  {"line": "aws ecs create-service", "refused": true}  the CLI refused it without sending anything
or, per operation, the CLI's argument names (from its own argument table):
  {"operation": "create-service", "arguments": ["--cluster", ...], "undocumented": [...]}

  python3 scripts/aws-cli-oracle.py --check   runs the real CLI (.venv/bin/aws) over every line
                                              and fails if anything differs from the file
  python3 scripts/aws-cli-oracle.py --write   records again (to add a line: append {"line": ...})

The CLI is pointed at a local HTTP server (127.0.0.1 only) that records each request and
answers `{}`, with dummy credentials, so nothing leaves the machine. The engine's test
(aws_cli::oracle_tests) compares its parse of every line with the recorded request.
"""
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "crates", "ecs-engine", "src", "aws_cli", "oracle.jsonl")
AWS = os.path.join(ROOT, ".venv", "bin", "aws")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
MAX_BODY = 1 << 20
# botocore sends a fresh UUID as RunTask's clientToken when none is given; the
# table holds this in its place (the engine's test passes it as the token).
TOKEN = "11111111-1111-4111-8111-111111111111"
UUID = re.compile(r'"clientToken": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"')


class Recorder(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
        body = self.rfile.read(length).decode("utf-8")
        Recorder.received.append((self.headers.get("X-Amz-Target"), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def run_line(line, port):
    words = shlex.split(line)
    if words[:1] == ["aws"]:
        words = words[1:]
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="dummy",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_PAGER="", AWS_DEFAULT_REGION="us-east-1")
    Recorder.received = []
    proc = subprocess.run([AWS, *words, "--endpoint-url", f"http://127.0.0.1:{port}"],
                          env=env, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 or not Recorder.received:
        return {"line": line, "refused": True}, proc.stderr.strip()
    if len(Recorder.received) != 1:
        raise SystemExit(f"{line}: the CLI sent {len(Recorder.received)} requests")
    target, body = Recorder.received[0]
    if "--client-token" not in line:
        body = UUID.sub(f'"clientToken": "{TOKEN}"', body)
    return {"line": line, "target": target, "body": body}, ""


ARGUMENTS = r"""
import json, sys
from awscli.clidriver import create_clidriver
from botocore import xform_name
driver = create_clidriver()
ecs = driver._get_command_table()["ecs"]
for name, command in sorted(ecs._get_command_table().items()):
    if not hasattr(command, "_operation_model"):
        continue
    table = command.arg_table
    print(json.dumps({
        "operation": name,
        "arguments": ["--" + n for n, a in table.items() if not getattr(a, "_UNDOCUMENTED", False)],
        "undocumented": ["--" + n for n, a in table.items() if getattr(a, "_UNDOCUMENTED", False)],
    }))
"""


def argument_records():
    env = dict(os.environ, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               AWS_DEFAULT_REGION="us-east-1")
    out = subprocess.run([PYTHON, "-c", ARGUMENTS], env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "--check"
    if mode not in ("--check", "--write"):
        raise SystemExit(__doc__)
    with open(TABLE) as f:
        table = [json.loads(line) for line in f if line.strip()]
    lines = [r["line"] for r in table if "line" in r]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    recorded = []
    try:
        for line in lines:
            record, stderr = run_line(line, port)
            if record.get("refused"):
                print(f"refused: {line}\n  {stderr.splitlines()[-1] if stderr else ''}")
            recorded.append(record)
    finally:
        server.shutdown()
    recorded += argument_records()
    if mode == "--write":
        with open(TABLE, "w") as f:
            for record in recorded:
                f.write(json.dumps(record) + "\n")
        print(f"{len(lines)} lines recorded in {os.path.relpath(TABLE, ROOT)}")
        return
    if recorded != table:
        for old, new in zip(table, recorded):
            if old != new:
                print(f"differs:\n  file: {json.dumps(old)}\n  CLI:  {json.dumps(new)}")
        if len(table) != len(recorded):
            print(f"{len(table)} records in the file, {len(recorded)} from the CLI")
        raise SystemExit("the oracle table is stale: run scripts/aws-cli-oracle.py --write")
    print(f"{len(lines)} command lines and {len(recorded) - len(lines)} argument tables match the real AWS CLI")


if __name__ == "__main__":
    main()
