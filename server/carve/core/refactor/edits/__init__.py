"""Editing primitives every refactor shares: import statements (order, blocks, edits,
removal), splices and line indexes, a module's layout and the names its statements
read, the feature-file naming convention, and the atomic writer."""
