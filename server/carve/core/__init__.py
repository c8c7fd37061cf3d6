"""Pure analysis: parsing, the workspace index, rules and refactor planners.

Nothing here knows about LSP, URIs, UTF-16 or the terminal.
"""
