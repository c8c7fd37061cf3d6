"""Source text for synth.py: method bodies and fixed files of the synthetic project.

Templates are `str.format` strings (literal braces doubled). Bodies imitate Django-style
code so that bytes per line (~35) and statement mix stay close to real projects.
"""

from __future__ import annotations

RELATED_METHOD = """    def related_{var}s(self, limit: int = 20) -> list[{peer}]:
        rows = self.related("{table}")[:limit]
        result = []
        for row in rows:
            candidate = {peer}(pk=row.pk)
            if candidate.is_valid():
                result.append(candidate)
        return result
"""

# Each template is one method of a model class; {cls}, {var}, {attr}, {attr2}, {table}
# and {peer} (another class visible in the module) are filled in by synth.py.
MODEL_METHODS = (
    '''    def total_{attr}(self, items: list[{cls}] | None = None) -> Decimal:
        """Sum `{attr}` over related items, skipping archived ones."""
        items = items if items is not None else self.related("{table}")
        total = Decimal("0")
        for item in items:
            if getattr(item, "archived", False):
                continue
            value = getattr(item, "{attr}", None)
            if value is None:
                logger.debug("skipping %r: no {attr}", item)
                continue
            total += Decimal(str(value))
        return total
''',
    """    def clean_{attr}(self) -> None:
        value = self.values.get("{attr}")
        if value in (None, ""):
            raise ValidationError({{"{attr}": "This field is required."}})
        if isinstance(value, str) and len(value) > 255:
            raise ValidationError({{"{attr}": "Ensure this value is at most 255 chars."}})
        self.values["{attr}"] = value.strip() if isinstance(value, str) else value
""",
    """    def to_dict(self, *, include_{attr2}: bool = False) -> dict[str, Any]:
        data = {{
            "id": self.pk,
            "{attr}": self.values.get("{attr}"),
            "kind": "{var}",
        }}
        if include_{attr2}:
            data["{attr2}"] = self.values.get("{attr2}")
        return data
""",
    """    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> {cls}:
        unknown = set(data) - {{field.name for field in cls.fields}}
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ValidationError(f"Unknown fields for {cls}: {{names}}")
        instance = cls(**data)
        instance.full_clean()
        return instance
""",
    """    def __repr__(self) -> str:
        return f"<{cls} pk={{self.pk!r}} {attr}={{self.values.get('{attr}')!r}}>"
""",
    '''    def transition_{attr}(self, target: str, *, actor: str | None = None) -> bool:
        """Move to `target` if allowed; return whether anything changed."""
        current = self.values.get("{attr}", "draft")
        allowed = self.transitions.get(current, ())
        if target not in allowed:
            logger.warning("%s: %s -> %s refused", self, current, target)
            return False
        self.values["{attr}"] = target
        self.history.append((current, target, actor))
        self.save(update_fields=["{attr}"])
        return True
''',
    RELATED_METHOD,
    """    def is_{attr}_stale(self, now: float | None = None, max_age: float = 3600.0) -> bool:
        stamp = self.values.get("{attr2}")
        if stamp is None:
            return True
        now = time.time() if now is None else now
        # Clock skew between workers can put stamps slightly in the future.
        return now - min(float(stamp), now) > max_age
""",
    """    def save(self, *args: Any, update_fields: list[str] | None = None, **kw: Any) -> None:
        if update_fields is None or "{attr}" in update_fields:
            self.clean_fields(exclude=["{attr2}"])
        super().save(*args, update_fields=update_fields, **kw)
        logger.info("saved %s %s", "{table}", self.pk)
""",
    """    @property
    def display_{attr}(self) -> str:
        value = self.values.get("{attr}")
        if value is None:
            return "-"
        if isinstance(value, Decimal):
            return f"{{value:,.2f}}"
        return str(value).replace("_", " ").title()
""",
)

FIELD_NAMES = (
    "amount",
    "status",
    "created_at",
    "updated_at",
    "owner_id",
    "reference",
    "currency",
    "quantity",
    "notes",
    "priority",
    "due_date",
    "region",
    "label",
    "score",
    "channel",
    "weight",
)

CORE_BASE = '''"""Minimal stand-ins for a web framework's model, service and view bases."""

from __future__ import annotations

from typing import Any


class ValidationError(Exception):
    pass


class Field:
    def __init__(self, name: str, kind: str = "char", *, null: bool = False) -> None:
        self.name = name
        self.kind = kind
        self.null = null


class BaseModel:
    fields: tuple[Field, ...] = ()
    transitions: dict[str, tuple[str, ...]] = {}

    def __init__(self, pk: int | None = None, **values: Any) -> None:
        self.pk = pk
        self.values = dict(values)
        self.history: list[tuple[str, str, str | None]] = []

    def related(self, table: str) -> list[BaseModel]:
        return []

    def is_valid(self) -> bool:
        return self.pk is not None

    def clean_fields(self, exclude: list[str] | None = None) -> None:
        pass

    def full_clean(self) -> None:
        self.clean_fields()

    def save(self, *args: Any, update_fields: list[str] | None = None, **kwargs: Any) -> None:
        pass


class BaseService:
    def __init__(self, actor: str | None = None) -> None:
        self.actor = actor


class BaseView:
    template_name = ""

    def render(self, context: dict[str, Any]) -> dict[str, Any]:
        return {"template": self.template_name, **context}
'''

SETTINGS_HEAD = '''"""Project settings (only what the synthetic project needs)."""

DEBUG = False
ROOT_URLCONF = "config.urls"
INSTALLED_APPS = [
'''

PYPROJECT = """[project]
name = "synthetic-shop"
version = "0.0.0"

[tool.carve]
"""

# PEP 695 in a models file (`{cls}`: its first class, `{feature}`: the feature name).
MODERN_MODELS = """

type {cls}Rows = list[{cls}]


def first_{feature}[T: BaseModel](items: list[T], default: T | None = None) -> T | None:
    return items[0] if items else default


class _{cls}Page[T]:  # private: hubs re-export public classes only
    def __init__(self, rows: list[T]) -> None:
        self.rows = rows
"""
