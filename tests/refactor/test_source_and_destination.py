"""What the source keeps (re-export, `__all__`, imports still used) and how code lands
in a destination that already exists."""

from __future__ import annotations

from pathlib import Path

from move_harness import (
    apply,
    assert_all_parse,
    make_project,
    plan,
    problems,
    run_python,
)


def move(
    tmp_path: Path,
    files: dict[str, str],
    names: tuple[str, ...],
    dest: str,
    importers: str = "keep",
    source: str = "pkg.models",
) -> Path:
    root = make_project(tmp_path, {"pkg/__init__.py": "", **files})
    apply(root, plan(root, source, names, dest, importers))
    assert_all_parse(root)
    assert not problems(root)
    return root


def read(root: Path, path: str) -> str:
    return (root / path).read_bytes().decode("utf-8")


def test_dunder_all_gains_the_name_and_is_never_emptied(tmp_path: Path) -> None:
    models = '__all__ = ["A"]\n\n\nclass A:\n    pass\n\n\nclass B:\n    pass\n'
    root = move(tmp_path, {"pkg/models.py": models}, ("A", "B"), "pkg.ab_models")
    assert read(root, "pkg/models.py") == (
        'from .ab_models import A as A\nfrom .ab_models import B as B\n\n__all__ = ["A", "B"]\n'
    )
    assert run_python(root, "from pkg.models import *; print(A, B)")


def test_reexport_goes_beside_an_existing_import_of_the_destination(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": "from .x_models import X as X\n\n\nclass Y:\n    pass\n",
        "pkg/x_models.py": "class X:\n    pass\n",
    }
    root = move(tmp_path, files, ("Y",), "pkg.x_models")
    assert (
        read(root, "pkg/models.py")
        == "from .x_models import X as X\nfrom .x_models import Y as Y\n"
    )
    assert read(root, "pkg/x_models.py") == "class X:\n    pass\n\n\nclass Y:\n    pass\n"


def test_existing_destination_code_goes_before_its_first_user(tmp_path: Path) -> None:
    files = {
        "pkg/models.py": (
            "import decimal\n\nfrom .base import Base\n\n\n"
            "class Price(Base):\n    unit = decimal.Decimal(1)\n"
        ),
        "pkg/base.py": "class Base:\n    pass\n",
        "pkg/sale_models.py": (
            "from .base import Base\nfrom .models import Price\n\n\n"
            "class Sale(Base):\n    price = Price\n"
        ),
    }
    root = move(tmp_path, files, ("Price",), "pkg.sale_models")
    assert read(root, "pkg/sale_models.py") == (
        "import decimal\n\nfrom .base import Base\n\n\n"
        "class Price(Base):\n    unit = decimal.Decimal(1)\n\n\n"
        "class Sale(Base):\n    price = Price\n"
    )
    assert read(root, "pkg/models.py") == "from .sale_models import Price as Price\n"


def test_type_checking_imports_stay_type_only(tmp_path: Path) -> None:
    models = (
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from pkg.other import Other\n\n\n"
        "def use(o: Other) -> Other:\n    return o\n"
    )
    files = {"pkg/models.py": models, "pkg/other.py": "class Other:\n    pass\n"}
    root = move(tmp_path, files, ("use",), "pkg.use_models")
    assert read(root, "pkg/use_models.py") == models
    assert read(root, "pkg/models.py") == (
        "from __future__ import annotations\n\nfrom .use_models import use as use\n"
    )


def test_private_helpers_go_along_and_logger_is_copied(tmp_path: Path) -> None:
    models = (
        "import logging\n\nlog = logging.getLogger(__name__)\n_CACHE: dict[str, int] = {}\n\n\n"
        "def _remember(key: str) -> int:\n    log.info(key)\n"
        "    return _CACHE.setdefault(key, 1)\n\n\n"
        "def lookup(key: str) -> int:\n    return _remember(key)\n\n\n"
        "def other() -> None:\n    log.info('other')\n"
    )
    root = move(tmp_path, {"pkg/models.py": models}, ("lookup",), "pkg.lookup_models")
    assert read(root, "pkg/lookup_models.py") == (
        "import logging\n\nlog = logging.getLogger(__name__)\n\n_CACHE: dict[str, int] = {}\n\n\n"
        "def _remember(key: str) -> int:\n    log.info(key)\n"
        "    return _CACHE.setdefault(key, 1)\n\n\n"
        "def lookup(key: str) -> int:\n    return _remember(key)\n"
    )
    assert read(root, "pkg/models.py") == (
        "import logging\n\nfrom .lookup_models import lookup as lookup\n\n"
        "log = logging.getLogger(__name__)\n\n\n"
        "def other() -> None:\n    log.info('other')\n"
    )


def test_crlf_bom_and_non_ascii_survive(tmp_path: Path) -> None:
    models = "# café ☕\r\nimport os\r\n\r\n\r\ndef naïve():\r\n    return os.sep + '€'\r\n"
    root = make_project(tmp_path, {"pkg/__init__.py": ""})
    (root / "pkg/models.py").write_bytes(b"\xef\xbb\xbf" + models.encode())
    (root / "pkg/user.py").write_bytes("from pkg.models import naïve\r\n".encode())
    apply(root, plan(root, "pkg.models", ("naïve",), "pkg.naive_models", "direct"))
    assert (root / "pkg/naive_models.py").read_bytes() == (
        b"import os\r\n\r\n\r\ndef na\xc3\xafve():\r\n    return os.sep + '\xe2\x82\xac'\r\n"
    )
    assert (root / "pkg/models.py").read_bytes() == (
        "\ufeff# café ☕\r\nfrom .naive_models import naïve as naïve\r\n".encode("utf-8")
    )
    assert (root / "pkg/user.py").read_bytes() == "from pkg.naive_models import naïve\r\n".encode()


def test_pep695_syntax_moves_on_any_interpreter(tmp_path: Path) -> None:
    models = (
        "class Box[T]:\n    item: T\n\n\ntype Pair[T] = tuple[T, T]\n\n\n"
        "def first[T](x: Pair[T]) -> T:\n    return x[0]\n"
    )
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/models.py": models})
    apply(root, plan(root, "pkg.models", ("Box", "Pair"), "pkg.box_models"))
    assert read(root, "pkg/box_models.py") == (
        "class Box[T]:\n    item: T\n\n\ntype Pair[T] = tuple[T, T]\n"
    )
    assert read(root, "pkg/models.py").startswith(
        "from .box_models import Box as Box\nfrom .box_models import Pair as Pair\n"
    )


def test_pep695_in_a_feature_file_source_does_not_crash(tmp_path: Path) -> None:
    # A feature-file source (not `models.py`) is checked for deletion after the move;
    # that check must read PEP 695 on Python 3.11 too.
    source = "type Alias[T] = list[T]\n\n\ndef helper[T](x: T) -> T:\n    return x\n"
    root = make_project(tmp_path, {"pkg/__init__.py": "", "pkg/a_models.py": source})
    apply(root, plan(root, "pkg.a_models", ("helper",), "pkg.c_models"))
    assert read(root, "pkg/c_models.py") == "def helper[T](x: T) -> T:\n    return x\n"
    assert "from .c_models import helper as helper" in read(root, "pkg/a_models.py")


def test_relative_imports_are_reaimed_for_another_package(tmp_path: Path) -> None:
    files = {
        "pkg/sub/__init__.py": "",
        "pkg/sub/models.py": (
            "from .base import Base\n\n\nclass A(Base):\n    def f(self):\n"
            "        from .base import helper\n        return helper()\n"
        ),
        "pkg/sub/base.py": "class Base:\n    pass\n\n\ndef helper():\n    return 1\n",
    }
    root = move(tmp_path, files, ("A",), "pkg.a_models", source="pkg.sub.models")
    assert read(root, "pkg/a_models.py") == (
        "from .sub.base import Base\n\n\nclass A(Base):\n    def f(self):\n"
        "        from .sub.base import helper\n        return helper()\n"
    )
    assert run_python(root, "from pkg.sub.models import A; print(A().f())") == "1\n"


def test_package_layout_default_destination(tmp_path: Path) -> None:
    files = {
        "pkg/models/__init__.py": (
            "from .base import Base\n\n\nclass Invoice(Base):\n    pass\n\n\n"
            "class Payment(Base):\n    pass\n"
        ),
        "pkg/models/base.py": "class Base:\n    pass\n",
        "pkg/views.py": "from pkg.models import Invoice\n\nprint(Invoice.__name__)\n",
    }
    root = make_project(tmp_path, {"pkg/__init__.py": "", **files})
    apply(root, plan(root, "pkg.models", ("Invoice",)))
    assert read(root, "pkg/models/invoice.py") == (
        "from .base import Base\n\n\nclass Invoice(Base):\n    pass\n"
    )
    assert read(root, "pkg/models/__init__.py") == (
        "from .base import Base\nfrom .invoice import Invoice as Invoice\n\n\n"
        "class Payment(Base):\n    pass\n"
    )
    assert run_python(root, "import pkg.views") == "Invoice\n"
    assert not problems(root)
