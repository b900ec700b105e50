# Runs inside one Python process, as the LMI Python runtime does for one concurrent invocation:
# loads a handler module (its own module globals), waits at a barrier until every process of the
# run has loaded its module (so they invoke at once however slowly the machine starts them), invokes the handler with its event and a context carrying its own
# aws_request_id, and prints the result as JSON. Every process shares the machine's one /tmp.
# Each open() takes IO_DELAY seconds (slow storage, real work between steps), so the write and
# the later read of one invocation are far enough apart for the others to meet them.
import builtins
import importlib.util
import json
import os
import sys
import time

path, name, payload, barrier, io_delay = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], float(sys.argv[5])

_open = builtins.open


def slow_open(*args, **kwargs):
    time.sleep(io_delay)
    return _open(*args, **kwargs)


builtins.open = slow_open


class Context:
    def __init__(self, request_id):
        self.aws_request_id = request_id
        self.function_name = "harness"

    def get_remaining_time_in_millis(self):
        return 30000


spec = importlib.util.spec_from_file_location("handler_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
handler = getattr(module, name)

# The barrier: "<dir>:<count>", or "-" for an invocation alone. Each process marks itself ready
# and waits until all of them are.
if barrier != "-":
    folder, count = barrier.rsplit(":", 1)
    with _open(os.path.join(folder, payload["request_id"]), "w"):
        pass
    deadline = time.time() + 50
    try:
        while len(os.listdir(folder)) < int(count) and time.time() < deadline:
            time.sleep(0.002)
    except FileNotFoundError:  # the run gave up on this barrier
        pass
try:
    result = {"ok": True, "value": handler(payload["event"], Context(payload["request_id"]))}
except Exception as error:  # the harness reports what any invocation raised
    result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
sys.stdout.write(json.dumps(result))
