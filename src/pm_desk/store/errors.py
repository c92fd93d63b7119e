"""What opening or writing the store can refuse; each message says why and what to do."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database that cannot be opened; the message says why and what to do."""


class MissingDatabaseError(DatabaseError):
    """No database at the path, and none was to be created."""


class NewerDatabaseError(DatabaseError):
    pass


class DamagedDatabaseError(DatabaseError):
    """SQLite's own checks found the file damaged; the message lists the backups to go back to."""
