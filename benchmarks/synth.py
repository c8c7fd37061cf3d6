"""Deterministic generator of a Django-shaped project of a requested size.

Usage: python benchmarks/synth.py OUT_DIR --lines N

Layout: `apps/<app>/` packages, each with hubs (`models.py`, `services.py`) re-exporting
feature files (`<feature>_models.py`, `<feature>_services.py`), and importers
(`views.py`, `<feature>_views.py`, `urls.py`) mixing hub imports, hub bypasses, relative,
`if TYPE_CHECKING:` and function-level imports. Module-level imports only point at the
same or earlier apps, so the project imports cleanly; typing-only and function-level
imports may point anywhere, creating the cycles real projects hide that way. About 2 %
of the files use PEP 695 syntax (so they import on Python 3.12+ only).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__:
    from . import synth_templates as T
else:  # run as a script: benchmarks/ is sys.path[0]
    import synth_templates as T  # type: ignore[no-redef]

# Word lists read better as prose than as 68 one-word lines.
APP_WORDS = (  # noqa: SIM905
    "billing accounts catalog shipping inventory crm support analytics payments "
    "notifications reporting scheduling pricing warehouse marketing content search "
    "reviews loyalty compliance"
).split()
FEATURE_WORDS = (  # noqa: SIM905
    "invoice payment order customer refund ledger coupon cart product variant shipment "
    "parcel carrier stock supplier ticket message campaign segment report metric schedule "
    "slot booking price discount review rating reward audit consent document page media "
    "tag category address contact subscription plan quota webhook token session device "
    "zone tax fee"
).split()
CLASS_SUFFIXES = ("", "Line", "Entry", "Snapshot", "Policy", "Record", "Batch", "Event")
# First guess of lines per feature (all its files plus its share of hubs); the size
# loop in generate() corrects it, so it only needs to be close.
LINES_PER_FEATURE = 330
MAX_LINES = 1_000_000
# Imported only when the sampled methods use the needle: unused imports would be findings.
STD_IMPORTS = {"import time": "time.", "from decimal import Decimal": "Decimal"}
# Every 16th feature's models file uses PEP 695 syntax (generic functions, `type`
# aliases): about 2 % of all files, as in real trees that adopted Python 3.12.
MODERN_EVERY = 16
# Marks a directory as ours, so regenerating may wipe it but never a user's tree.
MARKER = ".synth"


@dataclass
class Feature:
    app: App
    name: str
    index: int
    classes: list[str] = field(default_factory=list)
    funcs: list[str] = field(default_factory=list)

    @property
    def service(self) -> str:
        return camel(self.name) + "Service"


@dataclass
class App:
    name: str
    index: int
    features: list[Feature] = field(default_factory=list)


def camel(snake: str) -> str:
    return "".join(part.title() for part in snake.split("_"))


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def lap_name(words: list[str], i: int, sep: str = "") -> str:
    """Unique name: the words in order, then again with a lap number appended."""
    lap, k = divmod(i, len(words))
    return words[k] if lap == 0 else f"{words[k]}{sep}{lap + 1}"


def plan(n_features: int) -> list[App]:
    rng = random.Random("synth-plan")
    apps: list[App] = []
    for i in range(n_features):
        if not apps or len(apps[-1].features) >= rng.randint(5, 10):
            apps.append(App(lap_name(APP_WORDS, len(apps), "_"), len(apps)))
        feat = Feature(apps[-1], lap_name(FEATURE_WORDS, i), i)
        base = camel(feat.name)
        feat.classes = [base + s for s in CLASS_SUFFIXES[: rng.randint(3, 5)]]
        feat.funcs = [f"{verb}_{feat.name}" for verb in ("create", "archive", "sync")]
        apps[-1].features.append(feat)
    return apps


class Renderer:
    """Renders one project plan; choices are seeded per feature so output is stable."""

    def __init__(self, apps: list[App]) -> None:
        self.apps = apps

    def pick_feature(self, rng: random.Random, app: App, forward: bool) -> Feature:
        # Module-level imports stay on earlier apps (no import cycles at runtime);
        # the others go to any other app, which is where real projects hide cycles.
        if forward:
            pool = [a for a in self.apps if a is not app] or [app]
        else:
            pool = self.apps[: app.index] or [app]
        target = rng.choice(pool)
        return rng.choice(target.features)

    def models(self, feat: Feature) -> str:
        rng = random.Random(f"models:{feat.index}")
        app = feat.app
        pos = app.features.index(feat)
        peer, sibling_import = feat.classes[0], ""
        if pos:  # relative import straight from a sibling feature file
            sibling = app.features[rng.randrange(pos)]
            peer = rng.choice(sibling.classes)
            sibling_import = f"\nfrom .{sibling.name}_models import {peer}\n"
        hinted = self.pick_feature(rng, app, forward=True)
        hint = rng.choice(hinted.classes)
        body = [
            self.model_class(rng, feat, cls, peer if i == 0 else feat.classes[0], i == 0)
            for i, cls in enumerate(feat.classes)
        ]
        body.append(
            f"\n\ndef link_{feat.name}(obj: {feat.classes[0]}, target: {hint}) -> None:\n"
            f'    obj.values["{snake(hint)}_id"] = target.pk\n'
            "    obj.save(update_fields=None)\n"
        )
        if feat.index % MODERN_EVERY == 0:
            body.append(T.MODERN_MODELS.format(cls=feat.classes[0], feature=feat.name))
        code = "".join(body)
        std = [line for line, needle in STD_IMPORTS.items() if needle in code]
        base = [n for n in ("BaseModel", "Field", "ValidationError") if n in code]
        typing = "TYPE_CHECKING, Any" if "Any" in code else "TYPE_CHECKING"
        return "".join(
            [
                f'"""{camel(feat.name)} models of the {app.name} app."""\n\n',
                "from __future__ import annotations\n\nimport logging\n",
                *(line + "\n" for line in std),
                f"from typing import {typing}\n\n",
                f"from core.base import {', '.join(base)}\n",
                sibling_import,
                f"\nif TYPE_CHECKING:\n    from apps.{hinted.app.name}.models import {hint}\n",
                "\nlogger = logging.getLogger(__name__)\n",
                code,
            ]
        )

    def model_class(
        self, rng: random.Random, feat: Feature, cls: str, peer: str, use_peer: bool
    ) -> str:
        attrs = rng.sample(T.FIELD_NAMES, 4)
        table = f"{feat.app.name}_{snake(cls)}"
        out = [
            f"\n\nclass {cls}(BaseModel):\n",
            f'    """A {snake(cls).replace("_", " ")} record of the {feat.app.name} app."""\n\n',
            f'    table = "{table}"\n',
            "    fields = (\n",
            *(f'        Field("{a}", "{rng.choice(("char", "int", "date"))}"),\n' for a in attrs),
            "    )\n",
            '    transitions = {"draft": ("open",), "open": ("closed", "draft")}\n',
        ]
        methods = rng.sample(T.MODEL_METHODS, rng.randint(3, 6))
        if use_peer and T.RELATED_METHOD not in methods:
            methods[0] = T.RELATED_METHOD  # so the peer import is used
        for tmpl in methods:
            a1, a2 = rng.sample(attrs, 2)
            out.append("\n")
            out.append(
                tmpl.format(cls=cls, var=snake(cls), attr=a1, attr2=a2, table=table, peer=peer)
            )
        return "".join(out)

    def services(self, feat: Feature) -> str:
        rng = random.Random(f"services:{feat.index}")
        app, main, other = feat.app, feat.classes[0], feat.classes[1]
        dep = self.pick_feature(rng, app, forward=False)
        dep_cls = rng.choice(dep.classes)
        # A fifth of cross-app imports bypass the hub and name the feature file.
        dep_mod = f"{dep.name}_models" if rng.random() < 0.2 else "models"
        later = self.pick_feature(rng, app, forward=True)
        hinted = self.pick_feature(rng, app, forward=True)
        name = feat.name
        return (
            f'"""{camel(name)} services of the {app.name} app."""\n\n'
            "from __future__ import annotations\n\n"
            "import logging\nfrom typing import TYPE_CHECKING\n\n"
            f"from apps.{app.name}.models import {main}\n"
            f"from apps.{dep.app.name}.{dep_mod} import {dep_cls}\n"
            "from core.base import BaseService\n\n"
            f"from .{name}_models import {other}\n\n"
            "if TYPE_CHECKING:\n"
            f"    from apps.{hinted.app.name}.services import {hinted.service}\n\n"
            "logger = logging.getLogger(__name__)\n\n\n"
            f"class {feat.service}(BaseService):\n"
            f'    """Use cases around {name} records."""\n\n'
            "    def __init__(\n"
            f"        self, actor: str | None = None, peer: {hinted.service} | None = None\n"
            "    ) -> None:\n"
            "        super().__init__(actor)\n"
            "        self.peer = peer\n\n"
            f"    def open(self, pk: int, **values: object) -> {main}:\n"
            f"        record = {main}(pk=pk, **values)\n"
            '        if not record.transition_status("open", actor=self.actor):\n'
            '            logger.info("%s already open", record)\n'
            "        return record\n\n"
            f"    def lines(self, record: {main}) -> list[{other}]:\n"
            f"        return [{other}(pk=row.pk) for row in record.related({other}.table)]\n\n\n"
            f"def {feat.funcs[0]}(actor: str | None = None, **values: object) -> {main}:\n"
            f"    record = {main}(**values)\n"
            "    record.full_clean()\n"
            "    record.save()\n"
            f'    logger.info("created %s by %s", record, actor or "system")\n'
            "    return record\n\n\n"
            f'def {feat.funcs[1]}(record: {main}, reason: str = "") -> bool:\n'
            f"    from apps.{later.app.name}.services import {later.funcs[2]}\n\n"
            '    changed = record.transition_status("closed")\n'
            "    if changed:\n"
            f"        {later.funcs[2]}({name}_ref(record.pk))\n"
            '        logger.info("archived %s: %s", record, reason or "no reason")\n'
            "    return changed\n\n\n"
            f"def {name}_ref(pk: int | None) -> dict[str, int | None]:\n"
            '    return {"pk": pk}\n\n\n'
            f"def {feat.funcs[2]}(payload: dict[str, int | None]) -> {dep_cls} | None:\n"
            '    pk = payload.get("pk")\n'
            "    if pk is None:\n"
            "        return None\n"
            f"    mirror = {dep_cls}(pk=pk)\n"
            "    return mirror if mirror.is_valid() else None\n"
        )

    def views(self, feat: Feature) -> str:
        rng = random.Random(f"views:{feat.index}")
        app, name, main = feat.app, feat.name, feat.classes[0]
        dep = self.pick_feature(rng, app, forward=False)
        dep_cls = rng.choice(dep.classes)
        bypass = dep.app is not app and rng.random() < 0.3
        dep_line = (
            f"from apps.{dep.app.name}.{dep.name}_models import {dep_cls}\n"
            if bypass
            else f"from apps.{dep.app.name}.models import {dep_cls}\n"
        )
        title = camel(name)
        return (
            f'"""Views for {name} records."""\n\n'
            "from __future__ import annotations\n\n"
            "from typing import Any\n\n" + dep_line + "from core.base import BaseView\n\n"
            f"from .models import {main}, {feat.classes[1]}\n"
            f"from .services import {feat.funcs[0]}, {feat.funcs[1]}\n\n\n"
            f"class {title}ListView(BaseView):\n"
            f'    template_name = "{app.name}/{name}_list.html"\n'
            "    page_size = 25\n\n"
            "    def get(self, request: dict[str, Any]) -> dict[str, Any]:\n"
            '        page = int(request.get("page", 1))\n'
            f"        rows = {main}().related({main}.table)\n"
            "        start = (page - 1) * self.page_size\n"
            '        context = {"rows": rows[start : start + self.page_size], "page": page}\n'
            f'        context["lines"] = {feat.classes[1]}.table\n'
            "        return self.render(context)\n\n\n"
            f"class {title}CreateView(BaseView):\n"
            f'    template_name = "{app.name}/{name}_form.html"\n\n'
            "    def post(self, request: dict[str, Any]) -> dict[str, Any]:\n"
            '        values = dict(request.get("data", {}))\n'
            '        actor = request.get("user")\n'
            f"        record = {feat.funcs[0]}(actor=actor, **values)\n"
            '        if request.get("archive"):\n'
            f'            {feat.funcs[1]}(record, reason="created archived")\n'
            '        data = record.to_dict() if hasattr(record, "to_dict") else {}\n'
            '        return self.render({"record": data})\n\n\n'
            f"def {name}_mirror(request: dict[str, Any]) -> dict[str, Any]:\n"
            f'    mirror = {dep_cls}(pk=request.get("pk"))\n'
            '    return {"valid": mirror.is_valid(), "kind": type(mirror).__name__}\n'
        )

    def hub(self, app: App, kind: str) -> str:
        out = [f'"""{kind.title()} of the {app.name} app (re-exported from feature files)."""\n\n']
        names: list[str] = []
        for feat in app.features:
            exported = feat.classes if kind == "models" else [feat.service, *feat.funcs]
            for n in exported:
                out.append(f"from .{feat.name}_{kind} import {n} as {n}\n")
            names += exported
        out.append("\n__all__ = [\n")
        out += [f'    "{n}",\n' for n in names]
        out.append("]\n")
        return "".join(out)

    def app_views(self, app: App) -> str:
        rng = random.Random(f"app-views:{app.index}")
        lines = [
            f'"""Entry-point views of the {app.name} app."""\n\n',
            "from __future__ import annotations\n\nfrom typing import Any\n\n",
        ]
        # Deduplicated: the same feature twice would be a redefinition finding.
        picks = [self.pick_feature(rng, app, forward=False) for _ in range(3)]
        deps = list({f.index: f for f in picks}.values())
        for dep in deps:
            lines.append(f"from apps.{dep.app.name}.models import {dep.classes[0]}\n")
        lines.append("\n")
        for feat in app.features:
            lines.append(f"from .{feat.name}_views import {camel(feat.name)}ListView\n")
        later = self.pick_feature(rng, app, forward=True)
        lines.append("\n\ndef dashboard(request: dict[str, Any]) -> dict[str, Any]:\n")
        lines.append(f"    from apps.{later.app.name}.services import {later.funcs[0]}\n\n")
        lines.append("    counts = {\n")
        for dep in deps:
            cls = dep.classes[0]
            lines.append(f'        "{snake(cls)}": len({cls}().related({cls}.table)),\n')
        lines.append("    }\n")
        lines.append(f'    counts["created"] = bool({later.funcs[0]}(actor=request.get("user")))\n')
        lines.append("    return {\n")
        for feat in app.features:
            title = camel(feat.name)
            lines.append(f'        "{feat.name}": {title}ListView().get(request),\n')
        lines.append('        "counts": counts,\n    }\n')
        return "".join(lines)

    def urls(self, app: App) -> str:
        lines = [f'"""URL routes of the {app.name} app."""\n\nfrom . import views\n']
        for feat in app.features:
            title = camel(feat.name)
            lines.append(f"from .{feat.name}_views import {title}CreateView, {title}ListView\n")
        lines.append('\nurlpatterns = [\n    ("", views.dashboard),\n')
        for feat in app.features:
            title = camel(feat.name)
            lines.append(f'    ("{feat.name}/", {title}ListView),\n')
            lines.append(f'    ("{feat.name}/new/", {title}CreateView),\n')
        lines.append("]\n")
        return "".join(lines)

    def files(self) -> dict[str, str]:
        files = {
            "pyproject.toml": T.PYPROJECT,
            "core/__init__.py": "",
            "core/base.py": T.CORE_BASE,
            "config/__init__.py": "",
            "apps/__init__.py": "",
        }
        settings = [T.SETTINGS_HEAD, *(f'    "apps.{a.name}",\n' for a in self.apps), "]\n"]
        files["config/settings.py"] = "".join(settings)
        routes = [f"from apps.{a.name} import urls as {a.name}_urls\n" for a in self.apps]
        routes.append("\nurlpatterns = [\n")
        routes += [f'    ("{a.name}/", {a.name}_urls),\n' for a in self.apps]
        files["config/urls.py"] = "".join(routes) + "]\n"
        for app in self.apps:
            base = f"apps/{app.name}/"
            files[base + "__init__.py"] = ""
            files[base + "models.py"] = self.hub(app, "models")
            files[base + "services.py"] = self.hub(app, "services")
            files[base + "views.py"] = self.app_views(app)
            files[base + "urls.py"] = self.urls(app)
            for feat in app.features:
                files[f"{base}{feat.name}_models.py"] = self.models(feat)
                files[f"{base}{feat.name}_services.py"] = self.services(feat)
                files[f"{base}{feat.name}_views.py"] = self.views(feat)
        return files


def count_lines(files: dict[str, str]) -> int:
    return sum(text.count("\n") for path, text in files.items() if path.endswith(".py"))


def render(lines: int) -> dict[str, str]:
    """Render a project within 2% of `lines` (or the smallest one, one feature)."""
    n = max(1, round(lines / LINES_PER_FEATURE))
    for _ in range(5):
        files = Renderer(plan(n)).files()
        got = count_lines(files)
        if abs(got - lines) <= 0.02 * lines or (n == 1 and got > lines):
            break
        # Rescale by the measured per-feature size; converges in one or two rounds.
        n = max(1, round(n * lines / got))
    return files


def generate(out: Path, lines: int) -> tuple[int, int]:
    """Write a synthetic project of about `lines` lines to `out`; return (py files, lines)."""
    if not 0 < lines <= MAX_LINES:
        raise ValueError(f"lines must be in 1..{MAX_LINES}, got {lines}")
    files = render(lines)
    files[MARKER] = ""
    if (out / MARKER).exists():
        shutil.rmtree(out)  # stale files from a bigger run would skew the size
    elif out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty and was not made by synth.py")
    dirs = {str(Path(p).parent) for p in files}
    for d in sorted(dirs):
        (out / d).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        (out / path).write_text(text, encoding="utf-8")
    py = sum(1 for p in files if p.endswith(".py"))
    return py, count_lines(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output directory (replaced if synth-made)")
    parser.add_argument("--lines", type=int, default=100_000, help="target Python lines")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    files, lines = generate(args.out, args.lines)
    elapsed = time.perf_counter() - start
    print(f"{files} files, {lines} lines in {args.out} ({elapsed:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
