"""The language server: a pygls adapter over carve.core (imported only by `carve serve`)."""
