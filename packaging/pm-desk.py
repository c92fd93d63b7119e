"""The frozen app's entry point (PyInstaller runs this file as `__main__`)."""

from pm_desk.cli import main

raise SystemExit(main())
