"""PM Desk: the desktop workbench of a 287(g) program manager."""

__version__ = "0.1.0"
