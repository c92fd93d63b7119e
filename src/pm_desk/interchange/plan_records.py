"""Planning the records of agreements: officers, training, equipment, transfers, inspections."""

from __future__ import annotations

from functools import partial
from typing import Any

from pm_desk.domain.rules import hold_deadline
from pm_desk.interchange.cells import instant_second
from pm_desk.interchange.plan_caseload import Planner
from pm_desk.interchange.planning import Change, new_id, upsert
from pm_desk.interchange.problems import shown
from pm_desk.interchange.rights import AgreementView
from pm_desk.interchange.rows import Row, normalized_name
from pm_desk.store.models import (
    CustodyTransfer,
    EquipmentOrder,
    Finding,
    Inspection,
    Officer,
    OfficerStatusChange,
    TrainingRecord,
)

STATUS_REASON = "imported"


def _valid(p: Planner, table: str) -> list[Row]:
    found = p.tables.get(table)
    return found.valid() if found else []


def _agreement(p: Planner, table: str, row: Row) -> AgreementView | None:
    agency = p.agency(table, row)
    if agency is None:
        return None
    return p.view(table, row, agency, row.values["model"])


def plan_officers(p: Planner) -> None:
    for row in _valid(p, "officers"):
        v = row.values
        mention = ("officers", v["agency_state"], normalized_name(v["agency_name"]), v["badge"])
        agency = p.agency("officers", row)
        stored = p.existing.officers.get((agency["id"], v["badge"])) if agency else None
        view = _officer_agreement(p, row, agency, stored) if agency else None
        if agency is None or view is None:
            p.unplanned.add(mention)
            continue
        was_status = stored["authority_status"] if stored else None
        was_view = p.views_by_id.get(stored["agreement_id"]) if stored else None
        values = {
            "agreement_id": view.id,
            "agency_id": agency["id"],
            "name": v["name"],
            "badge": v["badge"],
            "rank": v["rank"],
            "email": v["email"],
            "nominated_on": v["nominated"],
            "authority_status": v["authority_status"],
        }

        def authorize(view: AgreementView = view, was_view: AgreementView | None = was_view) -> str | None:
            if was_view is None:
                return p.rights.record(view, "add officers")
            refused = p.rights.record(was_view, "change officers")
            if refused is None and was_view is not view:
                refused = p.rights.record(view, "move officers")
            return refused

        record_id, change, outcome = upsert(
            p.plan, Officer, stored, values, authorize, p.where("officers", row)
        )
        p.plan.count("officers", outcome)
        if record_id is None:
            p.unplanned.add(mention)
            continue
        p.officers[(agency["id"], v["badge"])] = {"id": record_id, "view": view}
        if change is not None and (change.action == "create" or "authority_status" in change.values):
            history = {
                "officer_id": record_id,
                "changed_at": p.now,
                "from_status": was_status,
                "to_status": v["authority_status"],
                "reason": STATUS_REASON,
                "changed_by": p.actor_id,
            }
            p.plan.add(Change(OfficerStatusChange, new_id(), "create", history))


def _officer_agreement(
    p: Planner, row: Row, agency: dict[str, Any], stored: dict[str, Any] | None
) -> AgreementView | None:
    """The agreement named by the row's model; without one, the officer's own (an officer already
    recorded) or the agency's only agreement."""
    model = row.values["model"]
    if model is not None:
        return p.view("officers", row, agency, model)
    if stored is not None and stored["agreement_id"] in p.views_by_id:
        return p.views_by_id[stored["agreement_id"]]
    choices = p.agreements_of(agency["id"])
    if len(choices) == 1:
        return choices[0]
    if not choices:
        p.problem("officers", row, "model", f"{agency['name']} has no agreement to designate officers under")
    else:
        models = ", ".join(sorted(c.model.value for c in choices))
        p.problem(
            "officers", row, "model", f"is required: {agency['name']} has several agreements ({models})"
        )
    return None


def _officer(p: Planner, table: str, row: Row) -> dict[str, Any] | None:
    agency = p.agency(table, row)
    if agency is None:
        return None
    badge = row.values["badge"]
    found = p.officers.get((agency["id"], badge))
    if found is not None:
        return found
    stored = p.existing.officers.get((agency["id"], badge))
    if stored is not None and stored["deleted_at"] is None:
        view = p.views_by_id.get(stored["agreement_id"])
        if view is None:
            p.problem(table, row, "badge", f"the agreement of officer {shown(badge)} was deleted")
            return None
        return {"id": stored["id"], "view": view}
    mention = ("officers", row.values["agency_state"], normalized_name(row.values["agency_name"]), badge)
    if mention not in p.unplanned:
        p.problem(
            table,
            row,
            "badge",
            f"no officer with badge {shown(badge)} at {agency['name']} (neither in officers.csv nor in the "
            "database)",
        )
    return None


def plan_training(p: Planner) -> None:
    for row in _valid(p, "training"):
        v = row.values
        officer = _officer(p, "training", row)
        if officer is None:
            continue
        stored = p.existing.training.get((officer["id"], v["course"], v["completed_on"]))
        values = {"officer_id": officer["id"], "course": v["course"], "completed_on": v["completed_on"]}
        if stored is None:
            values["source"] = "import"
        view: AgreementView = officer["view"]
        _id, _change, outcome = upsert(
            p.plan,
            TrainingRecord,
            stored,
            values,
            partial(p.rights.record, view, "record training"),
            p.where("training", row),
        )
        p.plan.count("training", outcome)


def plan_equipment(p: Planner) -> None:
    for row in _valid(p, "equipment"):
        v = row.values
        view = _agreement(p, "equipment", row)
        if view is None:
            continue
        values = {
            "agreement_id": view.id,
            "item": v["item"],
            "quantity": v["quantity"],
            **{
                f"{stage}_on": v[stage]
                for stage in ("requested", "ordered", "shipped", "delivered", "operational")
            },
        }
        stored = p.existing.equipment.get((view.id, v["item"]))
        _id, _change, outcome = upsert(
            p.plan,
            EquipmentOrder,
            stored,
            values,
            partial(p.rights.record, view, "order equipment"),
            p.where("equipment", row),
        )
        p.plan.count("equipment", outcome)


def plan_transfers(p: Planner) -> None:
    """Transfers by agreement, subject and detainer. A masked A-number (`A•••••1234`, as an export
    without full A-numbers writes it) leaves the stored A-number unchanged when its last four
    digits agree, is a problem when they do not, and gives a new transfer only those digits."""
    policy = p.policy
    masked_new = 0
    for row in _valid(p, "transfers"):
        v = row.values
        view = _agreement(p, "transfers", row)
        if view is None:
            continue
        values = {
            "agreement_id": view.id,
            "subject_ref": v["subject_ref"],
            "a_number": v["a_number"],
            "encounter_on": v["encounter_date"],
            "detainer_issued_at": v["detainer_issued_at"],
            "release_eligible_at": v["release_eligible_at"],
            "pickup_at": v["pickup_at"],
            "receiving_office": v["receiving_office"],
            "status": v["status"],
        }
        stored = p.existing.transfers.get(
            (view.id, v["subject_ref"], instant_second(v["detainer_issued_at"]))
        )
        tail = v["a_number_tail"]
        if tail is not None:
            if stored is not None and stored["a_number_last4"] != tail:
                p.problem(
                    "transfers",
                    row,
                    "a_number",
                    f"the masked A-number ending {tail} is not the stored one"
                    + (f" (ending {stored['a_number_last4']})" if stored["a_number_last4"] else " (none)")
                    + ": write the full A-number, or the mask the export wrote",
                )
                continue
            # A mask leaves the stored A-number as it is; a new transfer keeps only its tail.
            values["a_number"] = stored["a_number"] if stored is not None else None
        _id, change, outcome = upsert(
            p.plan,
            CustodyTransfer,
            stored,
            values,
            partial(p.rights.record, view, "record custody transfers"),
            p.where("transfers", row),
        )
        p.plan.count("transfers", outcome)
        if change is None:
            continue
        # The derived columns every writer keeps: the deadline under the policy, the A-number's tail.
        created = change.action == "create"
        if created or "release_eligible_at" in change.values:
            eligible = v["release_eligible_at"]
            change.values["hold_deadline_at"] = hold_deadline(eligible, policy) if eligible else None
        if created and tail is not None:
            change.values["a_number_last4"] = tail
            masked_new += 1
        elif created or "a_number" in change.values:
            change.values["a_number_last4"] = v["a_number"][-4:] if v["a_number"] else None
    if masked_new:
        p.plan.findings.note(
            f"transfers: {masked_new:,} new transfer{'s' if masked_new != 1 else ''} came with a masked "
            "A-number: only the last four digits are kept"
        )


def plan_inspections(p: Planner) -> None:
    """Rows of one agreement, date and kind are one inspection, or several when their summaries
    differ (rows that leave the summary empty belong to the one summary given, if only one is)."""
    groups: dict[tuple[Any, ...], dict[str, list[Row]]] = {}
    views: dict[tuple[Any, ...], AgreementView] = {}
    for row in _valid(p, "inspections"):
        view = _agreement(p, "inspections", row)
        if view is None:
            continue
        base = (view.id, row.values["date"], row.values["kind"])
        groups.setdefault(base, {}).setdefault(row.values["summary"] or "", []).append(row)
        views[base] = view
    for base, by_summary in groups.items():
        summaries = [s for s in by_summary if s]
        if len(summaries) == 1 and "" in by_summary:
            by_summary[summaries[0]].extend(by_summary.pop(""))
        stored = _match_inspections(p.existing.inspections.get(base, []), list(by_summary))
        for summary, rows in by_summary.items():
            _plan_inspection(p, views[base], base, summary or None, rows, stored.get(summary))


def _match_inspections(stored: list[dict[str, Any]], summaries: list[str]) -> dict[str, dict[str, Any]]:
    """Which stored inspection each group of rows is: the one with its summary, else (one group,
    one inspection) the only one there is, whose summary the rows then change."""
    matched: dict[str, dict[str, Any]] = {}
    free = list(stored)
    for summary in summaries:
        same_text = next((s for s in free if (s["summary"] or "") == summary), None)
        if same_text is not None:
            matched[summary] = same_text
            free.remove(same_text)
    if len(summaries) == 1 and not matched and len(free) == 1:
        matched[summaries[0]] = free[0]
    return matched


def _plan_inspection(
    p: Planner,
    view: AgreementView,
    base: tuple[Any, ...],
    summary: str | None,
    rows: list[Row],
    stored: dict[str, Any] | None,
) -> None:
    values = {"agreement_id": view.id, "held_on": base[1], "kind": base[2], "summary": summary}
    record_id, _change, outcome = upsert(
        p.plan,
        Inspection,
        stored,
        values,
        lambda: p.rights.record(view, "record inspections"),
        p.where("inspections", rows[0]),
    )
    for row in rows:
        row_outcome = outcome if row is rows[0] else "unchanged"
        text = row.values["finding_text"]
        if record_id is not None and text:
            finding = {
                "inspection_id": record_id,
                "text": text,
                "severity": row.values["finding_severity"],
                "corrective_due": row.values["corrective_due"],
                "closed_on": row.values["closed_on"],
            }
            _id, _change, finding_outcome = upsert(
                p.plan,
                Finding,
                p.existing.findings.get((record_id, text)),
                finding,
                partial(p.rights.record, view, "record findings"),
                p.where("inspections", row),
            )
            row_outcome = _combined(row_outcome, finding_outcome)
        p.plan.count("inspections", row_outcome)


def _combined(first: str, second: str) -> str:
    for outcome in ("denied", "new", "changed"):
        if outcome in (first, second):
            return outcome
    return "unchanged"


def check_references(p: Planner, table: str, row: Row) -> None:
    """The references of a row that has problems of its own, so that every problem of a set is
    reported at once; nothing is planned for it."""
    v = row.values
    if table in {"users", "agreements"} and v.get("field_office"):
        p.office_id(table, row, v["field_office"], create=False)
    if table == "agreements" and v.get("manager_email"):
        p.manager_of(row)
    if not (v.get("agency_state") and v.get("agency_name")):
        return
    agency = p.agency(table, row)
    if agency is None:
        return
    if table not in {"agreements", "training"} and v.get("model") is not None:
        p.view(table, row, agency, v["model"])
    elif table == "training" and v.get("badge"):
        _officer(p, table, row)
