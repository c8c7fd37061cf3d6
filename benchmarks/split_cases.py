"""The cases of `split_recovery.py`: sibling feature files of real packages to merge.

Each case names a pinned PyPI sdist, the directory under it that holds the top-level
package (`lib` for SQLAlchemy), the package directory of the files, the files in the
order they are merged, and the module the merge becomes: `__init__` (the package itself,
as `django/http.py` or `cms/models.py` were before they were split) or a file name beside
the others, never one of the package's files that is not merged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    project: str  # PyPI name
    version: str
    package_dir: str  # relative to the import root, e.g. "django/db/models/fields"
    files: str  # the stems, space-separated, in merge order
    monolith: str  # "__init__" or a stem
    root: str = ""  # the import root inside the sdist ("lib" for SQLAlchemy)
    wheel_python: str = ""  # fetch the wheel for this Python instead (sdists pip refuses)
    whole_tree: bool = False  # copy every top-level package, not only the case's
    batch: int = 1  # 1: the cases the grouping was tuned on; 2: added later to check it

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(self.files.split())

    @property
    def top_package(self) -> str:
        return self.package_dir.split("/")[0]


DJANGO = ("django", "5.1.4")
CASES = (
    Case(
        "django-fields",
        *DJANGO,
        "django/db/models/fields",
        "__init__ mixins files json proxy related reverse_related",
        "__init__",
    ),
    Case(
        "django-forms",
        *DJANGO,
        "django/forms",
        "boundfield fields forms formsets models widgets",
        "forms",
    ),
    Case(
        "django-auth",
        *DJANGO,
        "django/contrib/auth",
        "base_user models backends hashers tokens validators password_validation",
        "models",
    ),
    Case(
        "django-db-models",
        *DJANGO,
        "django/db/models",
        "query_utils expressions lookups aggregates constraints indexes query",
        "query",
    ),
    Case(
        "django-http",
        *DJANGO,
        "django/http",
        "__init__ cookie multipartparser request response",
        "__init__",
    ),
    Case(
        "django-template",
        *DJANGO,
        "django/template",
        "base context engine library loader_tags smartif",
        "base",
    ),
    Case(
        "django-admin",
        *DJANGO,
        "django/contrib/admin",
        "actions decorators filters helpers options sites",
        "options",
    ),
    Case(
        "wagtail-models",
        "wagtail",
        "6.3.1",
        "wagtail/models",
        "__init__ specific copying sites i18n audit_log media reference_index",
        "__init__",
    ),
    Case(
        "wagtail-blocks",
        "wagtail",
        "6.3.1",
        "wagtail/blocks",
        "__init__ base field_block struct_block list_block stream_block static_block",
        "__init__",
    ),
    Case(
        "sqlalchemy-orm-props",
        "sqlalchemy",
        "2.0.36",
        "sqlalchemy/orm",
        "interfaces properties descriptor_props relationships",
        "properties",
        root="lib",
    ),
    Case(
        "sqlalchemy-orm-decl",
        "sqlalchemy",
        "2.0.36",
        "sqlalchemy/orm",
        "clsregistry instrumentation decl_base decl_api",
        "decl_api",
        root="lib",
    ),
    Case(
        "celery-app",
        "celery",
        "5.4.0",
        "celery/app",
        "__init__ annotations registry routes log amqp control",
        "__init__",
    ),
    Case(
        "rich-renderables",
        "rich",
        "13.9.4",
        "rich",
        "box styled constrain padding align panel rule columns",
        "renderables",
    ),
    Case(
        "pydantic-api",
        "pydantic",
        "2.10.3",
        "pydantic",
        "aliases config fields functional_validators functional_serializers networks",
        "fields",
    ),
    Case(
        "drf-policies",
        "djangorestframework",
        "3.18.3",
        "rest_framework",
        "authentication permissions throttling versioning pagination",
        "policies",
    ),
    Case(
        "drf-serializers",
        "djangorestframework",
        "3.18.3",
        "rest_framework",
        "fields relations validators serializers",
        "serializers",
    ),
    Case(
        "pretalx-submission-models",
        "pretalx",
        "2025.2.2",
        "pretalx/submission/models",
        "__init__ submission question review cfp access_code type track",
        "__init__",
        root="src",
    ),
    Case(
        "netbox-dcim-models",
        "netbox",
        "4.7.3",
        "dcim/models",
        "__init__ sites racks power cables devices device_components modules",
        "__init__",
        wheel_python="3.12",  # needs Python >= 3.12: its sdist is refused here
        whole_tree=True,  # dcim imports netbox, utilities, extras, ipam, ...
    ),
    Case(
        "mailman-model",
        "mailman",
        "3.3.10",
        "mailman/model",
        "__init__ domain address user preferences mailinglist member bounce",
        "__init__",
        root="src",
    ),
    Case(
        "cms-models",
        "django-cms",
        "5.1.3",
        "cms/models",
        "__init__ settingmodels pagemodel permissionmodels placeholdermodel pluginmodel"
        " contentmodels aliaspluginmodel",
        "__init__",
    ),
    Case(
        "filer-models",
        "django-filer",
        "3.6.0",
        "filer/models",
        "__init__ abstract clipboardmodels filemodels foldermodels imagemodels"
        " thumbnailoptionmodels virtualitems",
        "__init__",
    ),
    # Batch 2, added on 2026-12-03 once the grouping of 6eb769e had been tuned on the 21
    # above, to see whether its figures carry over (0.58 then; what 804c9e1 and 7b20325
    # changed was seen on them too).
    Case(
        "django-generic-views",
        *DJANGO,
        "django/views/generic",
        "base detail list edit dates",
        "views",
        batch=2,
    ),
    Case(
        "django-sql",
        *DJANGO,
        "django/db/models/sql",
        "constants datastructures where query subqueries",
        "query",
        batch=2,
    ),
    Case(
        "django-contenttypes",
        *DJANGO,
        "django/contrib/contenttypes",
        "models fields forms admin views checks prefetch",
        "models",
        batch=2,
    ),
    Case(
        "sqlalchemy-asyncio",
        "sqlalchemy",
        "2.0.36",
        "sqlalchemy/ext/asyncio",
        "base exc result engine session scoping",
        "session",
        root="lib",
        batch=2,
    ),
    Case(
        "sqlalchemy-orm-loading",
        "sqlalchemy",
        "2.0.36",
        "sqlalchemy/orm",
        "path_registry loading strategy_options strategies",
        "strategies",
        root="lib",
        batch=2,
    ),
    Case(
        "wagtail-panels",
        "wagtail",
        "6.3.1",
        "wagtail/admin/panels",
        "base group field_panel help_panel inline_panel page_chooser_panel title_field_panel"
        " multiple_chooser_panel",
        "base",
        batch=2,
    ),
)
