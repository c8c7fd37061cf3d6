"""Command-line adapter: argument parsing, output formats, exit codes."""
