"""Planning the tables everything else names: users (and their field offices), agencies and
agreements, with the references between them resolved against the database and the files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from pm_desk.domain.enums import AgreementModel, Role, label
from pm_desk.domain.permissions import agreement_title
from pm_desk.domain.policy import Policy
from pm_desk.interchange.existing import Existing
from pm_desk.interchange.planning import Change, Plan, new_id, upsert
from pm_desk.interchange.problems import shown
from pm_desk.interchange.rights import AgreementView, Rights
from pm_desk.interchange.rows import CheckedTable, Row, normalized_name, row_key
from pm_desk.store.models import Agency, Agreement, Assignment, FieldOffice, User

AgencyKey = tuple[str, str]


@dataclass
class Planner:
    existing: Existing
    rights: Rights
    tables: dict[str, CheckedTable]
    now: datetime
    policy: Policy
    actor_id: str | None
    plan: Plan = field(default_factory=Plan)
    offices_by_code: dict[str, str] = field(default_factory=dict)
    offices_by_name: dict[str, str] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    agencies: dict[AgencyKey, dict[str, Any] | None] = field(default_factory=dict)
    views: dict[tuple[str, AgreementModel], AgreementView] = field(default_factory=dict)
    views_by_id: dict[str, AgreementView] = field(default_factory=dict)
    views_by_agency: dict[str, dict[AgreementModel, AgreementView]] = field(default_factory=dict)
    officers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # Ids chosen before planning for users the file creates (the acting user of a first import).
    preset_user_ids: dict[str, str] = field(default_factory=dict)
    # Keys that rows of the files name but that could not be planned: their own row says why,
    # so the rows that refer to them stay quiet instead of repeating it.
    unplanned: set[tuple[Any, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        for office in self.existing.offices:
            self.offices_by_code[office["code"].upper()] = office["id"]
            self.offices_by_name[normalized_name(office["name"])] = office["id"]
        names = {a["id"]: a["name"] for a in self.existing.agencies.values()}
        for agreement in self.existing.agreements.values():
            if agreement["deleted_at"] is None:
                self._register(self._view_of(agreement, names.get(agreement["agency_id"], "an agency")))
        for name, table in self.tables.items():
            for row in table.rows:
                key = None if row.ok else row_key(table.spec, row.values)
                if key is not None:
                    self.unplanned.add((name, *key[: _REFERENCE_WIDTH[name]]))

    # -- references ---------------------------------------------------------------------------------
    def problem(self, table: str, row: Row, column: str, message: str) -> None:
        self.plan.findings.problem(self.tables[table].source, row.line, column, message)

    def where(self, table: str, row: Row) -> tuple[str, int]:
        return self.tables[table].source, row.line

    def office_id(self, table: str, row: Row, text: str, create: bool = True) -> str | None:
        found = self.offices_by_code.get(text.upper()) or self.offices_by_name.get(normalized_name(text))
        if found is not None:
            return found
        if not create and self.rights.field_office() is None:
            return None
        if self.rights.field_office() is not None:
            known = ", ".join(sorted(self.offices_by_code)) or "none yet"
            self.problem(table, row, "field_office", f"no field office {shown(text)} (known: {known})")
            return None
        code = _office_code(text, set(self.offices_by_code))
        change = Change(FieldOffice, new_id(), "create", {"code": code, "name": text})
        self.plan.add(change)
        self.plan.count("field offices", "new")
        self.plan.findings.note(f"new field office {code} ({text}) will be created")
        self.offices_by_code[code.upper()] = change.record_id
        self.offices_by_name[normalized_name(text)] = change.record_id
        return change.record_id

    def user(self, email: str) -> dict[str, Any] | None:
        if email in self.users:
            return self.users[email]
        stored = self.existing.users.get(email)
        if stored is None or stored["deleted_at"] is not None:
            return None
        return stored

    def agency(self, table: str, row: Row) -> dict[str, Any] | None:
        state, name = row.values["agency_state"], row.values["agency_name"]
        key = (state, normalized_name(name))
        if key in self.agencies:
            return self.agencies[key]
        stored = self.existing.agencies.get(key)
        if stored is not None and stored["deleted_at"] is None:
            self.agencies[key] = stored
            return stored
        if ("agencies", *key) not in self.unplanned:
            self.problem(
                table,
                row,
                "agency_name",
                f"no agency {shown(name)} in {state} (neither in agencies.csv nor in the database)",
            )
        return None

    def view(
        self, table: str, row: Row, agency: dict[str, Any], model: AgreementModel
    ) -> AgreementView | None:
        found = self.views.get((agency["id"], model))
        if found is not None:
            return found
        key = (row.values["agency_state"], normalized_name(row.values["agency_name"]), model)
        if ("agreements", *key) not in self.unplanned:
            self.problem(
                table,
                row,
                "model",
                f"{agency['name']} has no {label(model)} agreement (neither in agreements.csv nor in the "
                "database)",
            )
        return None

    def _view_of(self, agreement: dict[str, Any], agency_name: str) -> AgreementView:
        return AgreementView(
            agreement["id"],
            agreement["agency_id"],
            agreement["model"],
            agreement_title(agency_name, agreement["model"]),
            agreement["field_office_id"],
            agreement["manager_id"],
            agreement["field_office_id"],
            agreement["manager_id"],
        )

    def _register(self, view: AgreementView) -> None:
        self.views[(view.agency_id, view.model)] = view
        self.views_by_id[view.id] = view
        self.views_by_agency.setdefault(view.agency_id, {})[view.model] = view

    def agreements_of(self, agency_id: str) -> list[AgreementView]:
        return list(self.views_by_agency.get(agency_id, {}).values())

    # -- users -------------------------------------------------------------------------------------
    def plan_users(self) -> None:
        table = self.tables.get("users")
        for row in table.valid() if table else ():
            v = row.values
            office_id = self.office_id("users", row, v["field_office"]) if v["field_office"] else None
            if v["field_office"] and office_id is None:
                continue
            values = {
                "email": v["email"],
                "name": v["name"],
                "role": v["role"],
                "field_office_id": office_id,
                "capacity": v["capacity"],
            }
            stored = self.existing.users.get(v["email"])
            if stored is None:
                values["active"] = True
            record_id, _change, outcome = upsert(
                self.plan,
                User,
                stored,
                values,
                self.rights.users,
                self.where("users", row),
                self.preset_user_ids.get(v["email"]),
            )
            self.plan.count("users", outcome)
            if record_id is not None:
                self.users[v["email"]] = {
                    "id": record_id,
                    "name": v["name"],
                    "role": v["role"],
                    "field_office_id": office_id,
                    "active": stored["active"] if stored else True,
                }

    # -- agencies ----------------------------------------------------------------------------------
    def plan_agencies(self) -> None:
        table = self.tables.get("agencies")
        ori_lines: dict[str, int] = {}
        for row in table.valid() if table else ():
            v = row.values
            key = (v["state"], normalized_name(v["name"]))
            stored = self.existing.agencies.get(key)
            ori = v["ori"]
            if ori is not None:
                holder = self.existing.agencies_by_ori.get(ori)
                if ori in ori_lines:
                    self.problem("agencies", row, "ori", f"{ori} is also the ORI on line {ori_lines[ori]}")
                    continue
                ori_lines[ori] = row.line
                if holder is not None and (stored is None or holder["id"] != stored["id"]):
                    self.problem("agencies", row, "ori", f"{ori} is already the ORI of {holder['name']}")
                    continue
            values = {
                "state": v["state"],
                "name": v["name"],
                "name_key": key[1],
                "ori": ori,
                "kind": v["kind"],
                "county": v["county"],
                "address": v["address"],
                "phone": v["phone"],
                "jail_beds": v["jail_beds"],
            }

            def authorize(stored: dict[str, Any] | None = stored) -> str | None:
                if stored is None:
                    return self.rights.new_agency()
                return self.rights.agency(self.agreements_of(stored["id"]))

            record_id, _change, outcome = upsert(
                self.plan, Agency, stored, values, authorize, self.where("agencies", row)
            )
            self.plan.count("agencies", outcome)
            self.agencies[key] = {"id": record_id, "name": v["name"]} if record_id else None

    # -- agreements --------------------------------------------------------------------------------
    def plan_agreements(self) -> None:
        table = self.tables.get("agreements")
        for row in table.valid() if table else ():
            v = row.values
            agency = self.agency("agreements", row)
            manager = self.manager_of(row)
            office_id = self._agreement_office(row, manager)
            if agency is None or manager is False or office_id is None:
                self.unplanned.add(
                    ("agreements", v["agency_state"], normalized_name(v["agency_name"]), v["model"])
                )
                continue
            manager_id = manager["id"] if isinstance(manager, dict) else None
            stored = self.existing.agreements.get((agency["id"], v["model"]))
            view = AgreementView(
                "",
                agency["id"],
                v["model"],
                agreement_title(agency["name"], v["model"]),
                office_id,
                manager_id,
                stored["field_office_id"] if stored else None,
                stored["manager_id"] if stored else None,
                new=stored is None,
            )
            values = {
                "agency_id": agency["id"],
                "model": v["model"],
                "status": v["status"],
                "application_received_on": v["application_received"],
                "signed_on": v["signed"],
                "effective_on": v["effective"],
                "expires_on": v["expires"],
                "field_office_id": office_id,
                "manager_id": manager_id,
            }

            def authorize(view: AgreementView = view) -> str | None:
                return self.rights.new_agreement(view) if view.new else self.rights.agreement(view)

            was_manager = stored["manager_id"] if stored else None
            record_id, change, outcome = upsert(
                self.plan, Agreement, stored, values, authorize, self.where("agreements", row)
            )
            self.plan.count("agreements", outcome)
            if record_id is None:
                self.unplanned.add(
                    ("agreements", v["agency_state"], normalized_name(v["agency_name"]), v["model"])
                )
                continue
            view.id = record_id
            self._register(view)
            if change is not None and (change.action == "create" or "manager_id" in change.values):
                dates = [d for d in (v["application_received"], v["signed"], v["effective"]) if d]
                since = min(dates) if change.action == "create" and dates else None
                self._reassign(record_id, was_manager, manager_id, since)

    def manager_of(self, row: Row) -> dict[str, Any] | bool | None:
        """The agreement's manager, None when the row names none, False when it names a wrong one."""
        email = row.values["manager_email"]
        if not email:
            return None
        user = self.user(email)
        if user is None:
            self.problem(
                "agreements",
                row,
                "manager_email",
                f"{email} is not a user (neither in users.csv nor in the database)",
            )
            return False
        if user["role"] is not Role.MANAGER:
            self.problem(
                "agreements", row, "manager_email", f"{email} is {user['role'].value}, not a program manager"
            )
            return False
        if not user["active"]:
            self.problem("agreements", row, "manager_email", f"{email} is no longer an active user")
            return False
        return user

    def _agreement_office(self, row: Row, manager: dict[str, Any] | bool | None) -> str | None:
        text = row.values["field_office"]
        manager_office = manager["field_office_id"] if isinstance(manager, dict) else None
        if not text:
            if manager_office is None and manager is not False:
                self.problem("agreements", row, "field_office", "is required when no manager_email is given")
            return manager_office
        office_id = self.office_id("agreements", row, text)
        if office_id is not None and isinstance(manager, dict) and manager_office != office_id:
            self.problem(
                "agreements",
                row,
                "manager_email",
                f"{manager['name']} works in another field office than {text}",
            )
            return None
        return office_id

    def _reassign(
        self, agreement_id: str, was: str | None, manager_id: str | None, since: date | None
    ) -> None:
        """The open assignment closes and a new one opens: history is never edited. A new
        agreement's manager is taken to have had it since its first date (else from now)."""
        starts = self.now
        if since is not None:
            starts = min(starts, datetime.combine(since, time(0), tzinfo=UTC))
        current = self.existing.open_assignments.get(agreement_id)
        if current is not None and current["manager_id"] != manager_id:
            self.plan.add(
                Change(
                    Assignment,
                    current["id"],
                    "update",
                    {"ends_at": self.now},
                    {"ends_at": None},
                    current["version"],
                )
            )
        if manager_id is not None and (current is None or current["manager_id"] != manager_id):
            values = {
                "agreement_id": agreement_id,
                "manager_id": manager_id,
                "starts_at": starts,
                "ends_at": None,
                "reason": "import" if was is None else "reassigned by import",
                "assigned_by": self.actor_id,
            }
            self.plan.add(Change(Assignment, new_id(), "create", values))


# How many leading key parts name the record other tables refer to.
_REFERENCE_WIDTH = {
    "users": 1,
    "agencies": 2,
    "agreements": 3,
    "officers": 3,
    "training": 5,
    "equipment": 4,
    "transfers": 5,
    "inspections": 6,
    "oncall_shifts": 3,
    "leave": 2,
}
_CODE_TEXT = re.compile(r"[A-Za-z0-9_\-]{1,16}")


def _office_code(text: str, taken: set[str]) -> str:
    """A new field office's code: the text itself when it is short, else its initials."""
    base = text.strip().upper() if _CODE_TEXT.fullmatch(text.strip()) else ""
    if not base:
        base = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", text)).upper()[:12] or "FO"
    code, number = base, 1
    while code.upper() in taken:
        number += 1
        code = f"{base[:12]}{number}"
    return code
