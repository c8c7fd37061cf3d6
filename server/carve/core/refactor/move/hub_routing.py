"""`--importers direct` under the `via-hub` import policy. The source re-exports the
moved names, so it becomes (or already has) their hub, and `hub-bypass` flags every
importer outside the hub's package that imports the destination. The user asked for
direct imports, as rope or PyCharm would write them, so they get them; the result says
which importers now bypass the hub, why `carve check` will report them, and the two
ways to agree with the policy: `--importers hub` (the default under via-hub) or
`import-policy = "direct"`."""

from __future__ import annotations

from carve.core.config import ImportPolicy
from carve.core.hub_detection import configured_hub, is_test_module
from carve.core.index import Module
from carve.core.refactor.move.context import MoveContext
from carve.core.rules.context import within


class HubRouting:
    def __init__(self, ctx: MoveContext, hub: str) -> None:
        self.ctx = ctx
        self.hub = hub  # the nearest hub re-exporting the moved names, else the source
        self.package = self._flagged_package()

    def _flagged_package(self) -> str | None:
        """The package outside which `hub-bypass` flags a direct import, or None when
        the policy lets every importer go direct or the hub will not own the
        destination (as `hub_detection.owns` decides it)."""
        ctx, config = self.ctx, self.ctx.index.config
        if config.policy_for(self.hub) is not ImportPolicy.VIA_HUB:
            return None
        hub = ctx.index.get(self.hub)
        if hub is None:
            return None
        # Only a package `__init__` or a component module (`models.py`) aggregates its
        # package's modules; the source becomes such a hub by re-exporting the names.
        aggregates = hub.is_package or hub.basename in config.components
        if config.hubs:
            aggregates = configured_hub(config, hub)
        if is_test_module(config, hub):
            return None  # a test hub owns only tests: not worth predicting
        package = ctx.index.hub_package(hub)
        return package if aggregates and within(ctx.destination, package) else None

    def note_direct(self, module: Module) -> None:
        """`module` now imports the destination directly."""
        if self.package is not None and not within(module.name, self.package):
            self.ctx.bypassing_hub.add(module.name)

    def warning(self) -> str | None:
        bypassing = self.ctx.bypassing_hub
        if not bypassing or self.package is None:
            return None
        count = len(bypassing)
        names = ", ".join(f"`{n}`" for n in self.ctx.requested)
        importers = f"{count} importers" if count != 1 else "1 importer"
        verb = "import" if count != 1 else "imports"
        return (
            f"{importers} outside `{self.package}` now {verb} {names} from "
            f"`{self.ctx.destination}`, bypassing the hub "
            f"`{self.hub}`: its import-policy is via-hub, so `carve check` reports them "
            f"as `hub-bypass`; `--importers hub` (the default under via-hub) routes them "
            f'through the hub, import-policy = "direct" makes direct imports the rule'
        )
