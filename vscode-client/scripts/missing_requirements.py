"""Used by bundle-libs.mjs: the requirements of the distributions in LIBS that
another Python version would need and LIBS lacks (backports such as tomli or
exceptiongroup, whose markers the build Python skipped). Prints JSON [[requirement,
python_version], ...]."""

import json
import pathlib
import sys

from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name

libs = pathlib.Path(sys.argv[1])
versions = sys.argv[2:]
installed = {
    canonicalize_name(p.name.split("-")[0]) for p in libs.glob("*.dist-info") if p.is_dir()
}
needed = {}
for metadata in libs.glob("*.dist-info/METADATA"):
    for line in metadata.read_text(encoding="utf-8").splitlines():
        if not line.startswith("Requires-Dist:"):
            continue
        requirement = Requirement(line.split(":", 1)[1].strip())
        name = canonicalize_name(requirement.name)
        if name in installed or requirement.marker is None:
            continue
        for version in versions:
            env = {"python_version": version, "python_full_version": version + ".0", "extra": ""}
            try:
                if requirement.marker.evaluate(env):
                    needed.setdefault(name, (str(requirement).split(";")[0], version))
            except Exception:  # a marker we cannot judge: not needed
                continue
json.dump(sorted(needed.values()), sys.stdout)
