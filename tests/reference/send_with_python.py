"""Send the updates described on stdin (JSON) with the reference Python client, okerrupdate."""
import json
import sys

from okerrupdate import OkerrProject

spec = json.load(sys.stdin)
project = OkerrProject(spec["textid"], secret=spec["secret"], url=spec["url"], direct=True)
project.x = spec.get("x", {})
project.setloglevel("ERROR")
for call in spec["calls"]:
    indicator = project.indicator(call["name"], **call.get("options", {}))
    indicator.update(call["status"], details=call.get("details"))
