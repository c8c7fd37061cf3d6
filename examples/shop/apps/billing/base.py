"""Shared base for billing models (stands in for django.db.models.Model)."""


class Model:
    def save(self) -> None:
        pass
