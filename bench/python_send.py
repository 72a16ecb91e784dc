"""Measurement 3: the Python reference client (okerrupdate from PyPI) sending N sequential
updates, timing itself (interpreter start-up and imports excluded). Reads a JSON spec on stdin,
prints one JSON line: {"seconds": ..., "n": ...}."""
import json
import logging
import sys
import time

from okerrupdate import OkerrProject

spec = json.load(sys.stdin)
project = OkerrProject(spec["textid"], secret=spec["secret"], url=spec["url"], direct=True)
# The same work as our client at its default level with a logger that drops lines: the info
# line is built and handed to logging, nothing is written.
project.log.handlers = [logging.NullHandler()]
project.setloglevel("INFO")
indicator = project.indicator(spec["name"])
indicator.throttle = 0
for _ in range(spec["warmup"]):
    indicator.update("OK")
start = time.perf_counter()
for _ in range(spec["n"]):
    indicator.update("OK")
print(json.dumps({"seconds": time.perf_counter() - start, "n": spec["n"]}))
