"""Write a PNG of the main window on every page, on the `small` demo program.

Run by `make screenshots` under Xvfb (a real X server, so fonts and styles are the real ones):
    python scripts/screenshots.py OUTPUT_DIR [--as-user EMAIL]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--as-user", help="whose view to show (default: the demo's busiest manager)")
    parser.add_argument("--scale", default="small", choices=("small", "program"))
    parser.add_argument("--supervisor", action="store_true", help="show the first supervisor's view")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="pm-desk-screenshots-"))
    os.environ["PM_DESK_HOME"] = str(home)

    from PySide6.QtCore import QTimer

    from pm_desk.demo import generate_demo
    from pm_desk.domain.policy import load_policy
    from pm_desk.paths import resolve_paths
    from pm_desk.services.actor import actor_for_email
    from pm_desk.settings import Settings
    from pm_desk.store.database import open_database
    from pm_desk.ui.app import build_context, make_application, open_main_window

    paths = resolve_paths().ensure()
    db = open_database(paths.database, backup_dir=paths.backup_dir)
    summary = generate_demo(db, args.scale)
    app = make_application()
    with db.uow() as uow:
        default = summary.supervisor_emails[0] if args.supervisor else summary.default_user_email
        actor = actor_for_email(uow, args.as_user or default)
    ctx = build_context(db, load_policy(), actor, paths, Settings(paths.settings_file))
    window = open_main_window(ctx)
    window.resize(1500, 900)
    names = list(window.pages)
    written: list[Path] = []

    def shoot(index: int) -> None:
        if index >= len(names):
            app.quit()
            return
        page = window.show_page(names[index])
        if hasattr(page, "list"):
            page.list.select_row(0)

        def grab() -> None:
            target = args.output / f"{index + 1:02d}-{names[index]}.png"
            window.grab().save(str(target))
            written.append(target)
            shoot(index + 1)

        QTimer.singleShot(500, grab)

    QTimer.singleShot(500, lambda: shoot(0))
    app.exec()
    db.close()
    for path in written:
        print(path)
    return 0 if len(written) == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
