"""Run by the VS Code extension before it starts the server: one JSON line saying which
Python this is, whether its environment has carve, and (with --bundled DIR, when the
server would use it: `--strategy bundled` or no carve in the environment) whether the
carve bundled with the extension can run on it. Imports nothing, so it stays fast: the
bundle's compiled parser is checked by its file name, whose suffix names the Python
version and platform it was built for (`native.cpython-311-x86_64-linux-gnu.so`)."""

import importlib
import importlib.util
import json
import os
import platform
import sys
import sysconfig
from importlib.machinery import EXTENSION_SUFFIXES

MINIMUM = (3, 10)
NEEDED = ("carve", "pygls", "lsprotocol", "libcst", "pathspec")


def environment():
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if "carve" in missing:
        return {"carve": None, "missing": missing}
    try:
        from importlib.metadata import version

        found = version("carve")
    except Exception:
        found = "unknown"
    return {"carve": found, "missing": missing}


def bundled(libs):
    sys.path.insert(0, libs)
    importlib.invalidate_caches()
    missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        return {"ok": False, "error": "missing from the bundle: " + ", ".join(missing)}
    parser = os.path.join(libs, "libcst", "native")
    if not any(os.path.exists(parser + suffix) for suffix in EXTENSION_SUFFIXES):
        folder = os.path.dirname(parser)
        names = os.listdir(folder) if os.path.isdir(folder) else []
        built = [name for name in names if name.startswith("native.")]
        return {
            "ok": False,
            "error": "no compiled libcst parser for this Python ("
            + ", ".join(EXTENSION_SUFFIXES)
            + "); the bundle has "
            + (", ".join(built) or "none"),
        }
    return {"ok": True, "error": None}


def main():
    result = {
        "version": list(sys.version_info[:3]),
        "executable": sys.executable,
        "implementation": platform.python_implementation(),
        "platform": sysconfig.get_platform(),
    }
    if sys.version_info[:2] >= MINIMUM:
        result["environment"] = env = environment()
        wanted = "--strategy" in sys.argv and sys.argv[sys.argv.index("--strategy") + 1]
        if "--bundled" in sys.argv and (wanted == "bundled" or env["missing"]):
            result["bundled"] = bundled(sys.argv[sys.argv.index("--bundled") + 1])
    sys.stdout.write(json.dumps(result) + "\n")


main()
