"""A command's refusal, kept apart from everything heavy: the command modules register their
parsers importing only this and argparse's types, so `pm-desk --version` and `--help` load no
database, report or Qt code."""

from __future__ import annotations


class CommandFailed(Exception):
    """A command that cannot do what was asked; the message is one line for the user."""
