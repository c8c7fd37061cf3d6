"""The move planner sees the module-level import graph `carve check` sees: `from . import
sibling` imports the submodule `sibling`, not the package's `__init__` (a package is
initialised before its submodules, so that edge never closes a cycle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from move_harness import apply, make_project, plan, problems, run_python

from carve.core.refactor.request import MoveError

# requests 2.32, reduced: `utils` imports a sibling with `from . import certs`, and the
# package `__init__` imports `models`; neither makes `models → utils` a cycle.
REQUESTS = {
    "requests/__init__.py": """
        from . import utils
        from .models import PreparedRequest, Request
        from .sessions import Session
        """,
    "requests/certs.py": "def where():\n    return 'cacert.pem'\n",
    "requests/hooks.py": "def default_hooks():\n    return {'response': []}\n",
    "requests/utils.py": """
        from . import certs

        DEFAULT_CA_BUNDLE_PATH = certs.where()


        def to_key_val_list(value):
            return list(value)
        """,
    "requests/models.py": """
        from .hooks import default_hooks
        from .utils import to_key_val_list


        class RequestHooksMixin:
            def register_hook(self, event, hook):
                self.hooks[event].append(hook)


        class PreparedRequest(RequestHooksMixin):
            def __init__(self):
                self.hooks = default_hooks()
                self.headers = to_key_val_list([])


        class Request(RequestHooksMixin):
            def prepare(self):
                return PreparedRequest()
        """,
    "requests/sessions.py": """
        from .models import PreparedRequest, Request


        class Session:
            def prepare_request(self, request):
                return PreparedRequest()
        """,
}


def test_sibling_import_is_not_a_package_edge(tmp_path: Path) -> None:
    root = make_project(tmp_path, REQUESTS)
    before = problems(root)
    changes = plan(
        root, "requests.models", ("PreparedRequest", "RequestHooksMixin"), "requests.prepared"
    )
    apply(root, changes)
    assert problems(root) == before
    out = run_python(root, "import requests; print(type(requests.PreparedRequest()).__module__)")
    assert out.strip() == "requests.prepared"


def test_moving_between_existing_siblings(tmp_path: Path) -> None:
    root = make_project(tmp_path, REQUESTS)
    changes = plan(root, "requests.models", ("RequestHooksMixin",), "requests.hooks")
    apply(root, changes)
    assert problems(root) == set()
    run_python(root, "import requests.sessions")


def test_a_real_sibling_cycle_is_still_refused(tmp_path: Path) -> None:
    files = {
        **REQUESTS,
        "requests/certs.py": "from .models import Request\n\n\ndef where():\n    return ''\n",
    }
    root = make_project(tmp_path, files)
    with pytest.raises(MoveError) as refused:
        plan(root, "requests.models", ("PreparedRequest", "RequestHooksMixin"), "requests.prepared")
    assert "requests.utils → requests.certs → requests.models" in str(refused.value)
