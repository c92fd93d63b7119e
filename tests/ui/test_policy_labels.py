"""One policy, every label: with thresholds changed from the defaults, Today, Reminders, the lists
and the reports name the changed numbers (never a default), and Today's counts are still those of
`pm-desk compliance` for the same person under the same policy."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from contexts import make_context
from pypdf import PdfReader

from pm_desk.cli import main
from pm_desk.domain.policy import Policy
from pm_desk.domain.rules import catalog
from pm_desk.domain.rules.statuses import EquipmentStatus, Rule
from pm_desk.reports.generate import ReportRequest, generate_report, generated_by
from pm_desk.services.reminder_views import reminder_items
from pm_desk.services.today import group_specs
from pm_desk.store.database import Database
from pm_desk.ui.context import AppContext
from pm_desk.ui.pages.equipment import EquipmentPage
from pm_desk.ui.pages.today import TodayPage
from support import CHANGED_FIGURES, CHANGED_POLICY_TOML, DEFAULT_FIGURES, FIXED_NOW, changed_policy


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages))


def names_a_default(text: str) -> list[str]:
    return [f for f in DEFAULT_FIGURES if re.search(rf"(?<![\d.]){re.escape(f)}", text)]


@pytest.fixture
def policy(small_db: Database, summary, tmp_path: Path, capsys) -> Policy:
    """The changed policy, imported by the administrator into the database (for the app and the
    command line alike)."""
    source = tmp_path / "changed-policy.toml"
    source.write_text(CHANGED_POLICY_TOML, encoding="utf-8")
    code = main(
        ["--db", str(small_db.path), "--as-user", summary.admin_email, "policy", "import", str(source)]
    )
    capsys.readouterr()
    assert code == 0
    return changed_policy()  # type: ignore[return-value]


@pytest.fixture
def ctx(qapp, small_db: Database, summary, policy: Policy, tmp_path: Path) -> AppContext:
    return make_context(small_db, summary.default_user_email, tmp_path, policy)


def command_counts(capsys: pytest.CaptureFixture[str], ctx: AppContext) -> Counter[str]:
    code = main(["--db", ctx.paths.database, "--as-user", ctx.actor.email, "compliance",
                 "--as-of", "2026-10-31T12:00:00Z"])  # fmt: skip
    assert code == 0
    counts: Counter[str] = Counter()
    for row in json.loads(capsys.readouterr().out):
        counts[catalog.group_of(type("R", (), row)).key] += 1
    return counts


def test_today_headings_follow_the_policy_and_counts_follow_the_command(
    qtbot, ctx: AppContext, policy: Policy, capsys
) -> None:
    page = TodayPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.activate()
    shown = {g.spec.key: g for g in page.model.groups}
    assert "equipment_alarm" in shown  # the demo has agreements past the changed alarm
    assert shown["equipment_alarm"].spec.title == "Equipment past 150 days"
    words = " ".join(
        [g.spec.title for g in page.model.groups] + [f"{r.status} {r.detail}" for g in page.model.groups
                                                      for r in g.rows]
    )  # fmt: skip
    assert names_a_default(words) == []
    assert [s.title for s in group_specs(policy)][:2] == ["Hold breaches", "Holds due within hours"]
    counts = Counter(page.counts())
    for key in ("reminders", "oncall_holds", "rota"):
        counts.pop(key, None)
    assert +counts == command_counts(capsys, ctx)


def test_reminder_titles_follow_the_policy(ctx: AppContext, policy: Policy) -> None:
    with ctx.db.uow() as uow:
        items = reminder_items(uow, policy, ctx.actor, FIXED_NOW, "UTC")
    derived = [i for i in items if i.derived]
    equipment = [i for i in derived if i.rule is Rule.EQUIPMENT and i.status is EquipmentStatus.ALARM]
    assert equipment and {i.title for i in equipment} == {"Equipment past 150 days"}
    assert names_a_default(" ".join(i.title for i in derived)) == []


def test_list_cells_follow_the_policy(qtbot, ctx: AppContext) -> None:
    page = EquipmentPage(ctx)
    qtbot.addWidget(page)
    page.activate()
    model = page.list.model
    texts = [cell.text for r in range(model.rowCount()) for cell in model.row_values(r)[1]]
    assert any(t.endswith("(past 150 days)") for t in texts)
    assert names_a_default(" ".join(texts)) == []


@pytest.mark.parametrize("kind", ["monthly", "program", "agreement", "staffing", "oncall"])
def test_every_report_prints_the_thresholds_it_used(ctx: AppContext, policy: Policy, kind: str) -> None:
    request = ReportRequest(
        kind,
        month=date(2026, 10, 1),
        manager_email=ctx.actor.email,
        agreement_id=_an_agreement(ctx),
        date_from=date(2026, 10, 1),
        date_to=date(2026, 10, 31),
    )
    text = pdf_text(generate_report(ctx.db, policy, request, generated_by(ctx.actor, FIXED_NOW)).pdf)
    thresholds = text[text.index("Thresholds in force") :]
    for figure in CHANGED_FIGURES:
        assert figure in thresholds, figure
    assert names_a_default(text) == []
    if kind == "monthly":
        assert "Agreements past 150 days without equipment" in text
        assert "Refresher due ≤ 45 d" in text and "Due within 9 h" in text


def _an_agreement(ctx: AppContext) -> str:
    from pm_desk.store.queries.choices import agreement_choices
    from pm_desk.store.queries.listing import Scope

    with ctx.db.uow() as uow:
        return agreement_choices(uow.session, Scope())[0][0]
