"""Every save says which version it was made on: an undo after someone else's change is refused
with a sentence instead of silently putting the old values back, and a save without a version
is refused by the service."""

from __future__ import annotations

import pytest
from contexts import settle, store_read
from driving import save_and_close, with_dialog

from builders import version_of
from pm_desk.services import caseload
from pm_desk.services.errors import Conflict
from pm_desk.store.queries.choices import agreement_choices
from pm_desk.store.queries.records import record_values
from pm_desk.ui.context import AppContext
from pm_desk.ui.dialogs.caseload_forms import agreement_input, agreement_values
from pm_desk.ui.pages.agreements import AgreementsPage


def notes_of(ctx: AppContext, agreement_id: str) -> str | None:
    return store_read(ctx, record_values, "agreement", agreement_id)["notes"]


def test_an_undo_after_someone_elses_change_is_refused(
    qtbot, manager_ctx: AppContext, supervisor_ctx: AppContext
) -> None:
    page = AgreementsPage(manager_ctx)
    qtbot.addWidget(page)
    page.show()
    page.activate()
    agreement_id = page.list.model.record_id(0)
    seen: dict = {}
    with_dialog(lambda: page.edit_record(agreement_id), save_and_close({"notes": "Mine."}, seen))
    settle(manager_ctx)
    assert seen["saved"] and notes_of(manager_ctx, agreement_id) == "Mine."

    # The supervisor, on his own laptop or session, changes the same agreement meanwhile.
    stored = store_read(supervisor_ctx, record_values, "agreement", agreement_id)
    theirs = agreement_input(agreement_values(stored), stored["agency_id"], stored["model"])
    theirs.notes = "The supervisor's note."
    version = version_of(supervisor_ctx.db, "agreement", agreement_id)
    caseload.update_agreement(supervisor_ctx.db.uow(), supervisor_ctx.actor, agreement_id, theirs, version)

    manager_ctx.undo_stack.undo()  # would put the manager's "before" back over the supervisor's note
    settle(manager_ctx)
    assert notes_of(manager_ctx, agreement_id) == "The supervisor's note."
    assert page.message.isVisible()
    assert "changed by someone else since you opened it" in page.message.label.text()


def test_a_save_without_the_version_it_was_made_on_is_refused(manager_ctx: AppContext) -> None:
    db = manager_ctx.db
    agreement_id = store_read(manager_ctx, agreement_choices, manager_ctx.scope(False))[0][0]
    stored = store_read(manager_ctx, record_values, "agreement", agreement_id)
    data = agreement_input(agreement_values(stored), stored["agency_id"], stored["model"])
    with pytest.raises(Conflict) as refused:
        caseload.update_agreement(db.uow(), manager_ctx.actor, agreement_id, data, None)
    assert "must say which version" in str(refused.value)
