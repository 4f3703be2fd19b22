"""Print the requirement lines of pyproject.toml for one group, for `pip install -r`.

Usage: python tools/deps.py runtime|dev|sdk   (dev includes runtime)
The project is not an installable package (the pack, the runtime and the simulator are separate
top-level folders), so the Makefile installs the declared dependencies through this script.
"""

import sys

import tomllib

with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
group = sys.argv[1] if len(sys.argv) > 1 else "dev"
lines = list(project["dependencies"]) if group in ("runtime", "dev") else []
if group != "runtime":
    lines += project["optional-dependencies"][group]
print("\n".join(lines))
