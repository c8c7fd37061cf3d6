"""The rules. Each is a function `(RuleContext) -> Iterable[Finding]`, named in `registry`."""
