"""Customers: the defining module."""


class Customer:
    name: str = ""
