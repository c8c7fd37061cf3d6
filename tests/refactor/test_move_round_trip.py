"""Moving code out and back restores the file byte for byte also when the code was
not last in it: `__all__` (in definition order, Django's style) says where it was, and
functions reading it in their bodies do not pull it above them."""

from __future__ import annotations

from pathlib import Path

from move_harness import MoveCase

TIMEZONE = '''
    """Time zones."""

    import datetime

    __all__ = ["localtime", "localdate", "now", "is_aware"]


    def localtime(value=None):
        if value is None:
            value = now()
        return value


    def localdate(value=None):
        return localtime(value).date()


    def now():
        return datetime.datetime(2001, 1, 1)


    def is_aware(value):
        return value.tzinfo is not None
'''


def test_a_function_from_the_middle_goes_back_where_it_was(tmp_path: Path) -> None:
    MoveCase(
        files={"pkg/__init__.py": "", "pkg/timezone.py": TIMEZONE},
        source="pkg.timezone",
        names=("now",),
        destination="pkg.clock",
        importers="keep",
        script="from pkg import timezone; print(timezone.localdate(), timezone.now())",
    ).verify(tmp_path)
