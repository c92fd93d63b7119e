"""What encryption at rest costs (issue 16, Speed): the same figures on the cached `large` set and
on an encrypted copy of it, in the same run, as ratios; and sign-in to the first painted window.

The encrypted copy is SQLCipher's export of the plain set (`store.cipher.export_encrypted`) with
the database key the plain set's key ring already holds, and a copy of that key ring beside it:
every demo user signs in to either file with the demo password, through the same Argon2id slot at
the policy's real parameters. The copy lives next to the set in benchmarks/.cache/ and goes with
it when the set is rebuilt (its name starts with the set's).

Runs alternate plain, encrypted, plain, encrypted… so a machine whose speed drifts during the
run moves both sides alike; each ratio is taken run by run (encrypted / plain) and summarized.
A figure that fails is an error entry and the other figures still come out.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.dataset import Dataset
from benchmarks.measure import child_result, run_python, summary

RATIO_TARGET = 1.15
SIGN_IN_TARGET_S = 2.0
SIDES = ("plain", "encrypted")

# figure name -> what it compares (each is encrypted / plain)
RATIOS: dict[str, str] = {
    "encryption_ratio_compliance": "`pm-desk compliance` for the whole program, whole process",
    "encryption_ratio_transfers_open": "open Transfers (1,000,000 rows), first rows shown",
    "encryption_ratio_transfers_filter_p95": "one filter keystroke on Transfers, rows shown (p95)",
    "encryption_ratio_monthly_report": "`pm-desk report monthly` of the busiest manager, whole process",
    "encryption_ratio_monthly_report_in_process": "the monthly report through generate_report only",
}
SIGN_IN_FIGURE = "sign_in_to_window_s"

Say = Callable[[str], None]
Home = Callable[..., dict[str, str]]
Failed = Callable[[str, BaseException], dict[str, Any]]  # the error entry of a figure (and its trace)


def encrypted_path(dataset: Dataset) -> Path:
    plain = Path(dataset.path)
    return plain.with_name(f"{plain.stem}.encrypted{plain.suffix}")


def ensure_encrypted(dataset: Dataset, say: Say) -> Dataset:
    """The encrypted copy of `dataset` (made once, about a minute at `large`), as a Dataset."""
    from pm_desk.demo import DEMO_PASSWORD
    from pm_desk.services.access import keys_path
    from pm_desk.store.cipher import export_encrypted, file_state

    plain, target = Path(dataset.path), encrypted_path(dataset)
    if file_state(target) == "encrypted" and keys_path(target).exists():
        return dataclasses.replace(dataset, path=str(target), built_now=False)
    say(f"writing an encrypted copy of the {dataset.scale} set into {target}…")
    if file_state(plain) != "plain":
        raise RuntimeError(f"{plain} is not a plain database: the comparison needs the plain set")
    key = slot_key(plain, dataset.staff, DEMO_PASSWORD)
    partial = target.with_name(f"{target.stem}.partial{target.suffix}")
    for leftover in (partial, keys_path(partial), keys_path(target), target):
        leftover.unlink(missing_ok=True)
    export_encrypted(plain, partial, key)
    if file_state(partial) != "encrypted":
        raise RuntimeError(f"the export {partial} is not encrypted")
    shutil.copyfile(keys_path(plain), keys_path(target))  # the same slots: the same key, the same KDF
    partial.rename(target)
    return dataclasses.replace(dataset, path=str(target), built_now=True)


def slot_key(database: Path, email: str, password: str) -> bytes:
    """The database key `email`'s slot of the key ring beside `database` holds (the ring is only
    read: no try is counted in it)."""
    from pm_desk.services.access import keys_path
    from pm_desk.store.keyring import KeyRing

    return KeyRing.load(keys_path(database)).unlock(email, password, datetime.now(UTC))


def kdf_in_force(dataset: Dataset) -> dict[str, Any]:
    """The Argon2id parameters of the slot the benchmark signs in with (the policy's, recorded)."""
    from pm_desk.services.access import keys_path
    from pm_desk.store.keyring import KeyRing

    ring = KeyRing.load(keys_path(Path(dataset.path)))
    slot = ring.slot_of(dataset.default_manager)
    return dataclasses.asdict(slot.kdf) if slot is not None else {}


# -- one run of each probe on one side; each returns {figure: seconds} ------------------------------
def _compliance(dataset: Dataset, home: Home) -> dict[str, float]:
    env = home(dataset, dataset.staff)
    output = Path(env["PM_DESK_HOME"]) / "compliance.json"
    finished = run_python(["-m", "pm_desk", "compliance", "--format", "json", "-o", str(output)], env)
    if finished.returncode != 0:
        raise RuntimeError(f"pm-desk compliance failed: {finished.stderr[-400:]}")
    return {"encryption_ratio_compliance": finished.seconds}


def _transfers(dataset: Dataset, home: Home, terms: list[str]) -> dict[str, float]:
    """One Transfers run: the page opened, then (given terms) typed into its filter. The two are
    separate runs so that a filter that fails does not take the opening's figure with it."""
    env = home(dataset, dataset.staff)
    command = ["-m", "benchmarks.drive", "transfers", "--db", dataset.path, "--user", dataset.staff]
    result = child_result(run_python([*command, "--terms", *terms], env), "the Transfers run")
    if not terms:
        return {"encryption_ratio_transfers_open": result["transfers_open_s"]}
    return {"encryption_ratio_transfers_filter_p95": result["filter_typed_p95_s"]}


def _monthly(dataset: Dataset, home: Home, month: str) -> dict[str, float]:
    env = home(dataset, dataset.staff)
    output = Path(env["PM_DESK_HOME"]) / "monthly.pdf"
    command = ["-m", "pm_desk", "report", "monthly", "--month", month]
    finished = run_python([*command, "--manager", dataset.busiest_manager, "-o", str(output)], env)
    if finished.returncode != 0:
        raise RuntimeError(f"pm-desk report monthly failed: {finished.stderr[-400:]}")
    return {"encryption_ratio_monthly_report": finished.seconds}


def _monthly_in_process(dataset: Dataset, home: Home, month: str) -> dict[str, float]:
    command = ["-m", "benchmarks.drive", "report", "monthly", "--db", dataset.path, "--month", month]
    finished = run_python([*command, "--user", dataset.busiest_manager], home(dataset, dataset.staff))
    result = child_result(finished, "the monthly report")
    return {"encryption_ratio_monthly_report_in_process": result["seconds"]}


def measure_encryption(
    dataset: Dataset,
    runs: int,
    warmup: int,
    say: Say,
    home: Home,
    failed: Failed,
    terms: list[str],
    month: str,
) -> dict[str, Any]:
    encrypted = ensure_encrypted(dataset, say)
    sides = {"plain": dataset, "encrypted": encrypted}
    probes: list[tuple[tuple[str, ...], Callable[[Dataset], dict[str, float]]]] = [
        (("encryption_ratio_compliance",), lambda d: _compliance(d, home)),
        (("encryption_ratio_transfers_open",), lambda d: _transfers(d, home, [])),
        (("encryption_ratio_transfers_filter_p95",), lambda d: _transfers(d, home, terms)),
        (("encryption_ratio_monthly_report",), lambda d: _monthly(d, home, month)),
        (("encryption_ratio_monthly_report_in_process",), lambda d: _monthly_in_process(d, home, month)),
    ]
    out: dict[str, Any] = {}
    seconds: dict[str, Any] = {}
    for figures, probe in probes:
        values: dict[str, dict[str, list[float]]] = {f: {s: [] for s in SIDES} for f in figures}
        try:
            for run in range(warmup + runs):
                say(f"  {figures[0]} run {run + 1}/{warmup + runs} (plain, then encrypted)")
                for side in SIDES:
                    measured = probe(sides[side])
                    if run >= warmup:
                        for figure in figures:
                            values[figure][side].append(measured[figure])
        except Exception as exc:  # the other comparisons still come out
            error = failed(figures[0], exc)
            out |= {figure: dict(error) for figure in figures}
            continue
        for figure in figures:
            plain, enc = values[figure]["plain"], values[figure]["encrypted"]
            out[figure] = summary([e / p for p, e in zip(plain, enc, strict=True)])
            seconds[figure] = {"plain_s": summary(plain), "encrypted_s": summary(enc)}
    out["details"] = {
        "encryption_seconds": seconds,
        "encrypted_copy": encrypted.path,
        "encrypted_copy_made_now": encrypted.built_now,
        "encryption_month": month,
    }
    return out


def measure_sign_in(dataset: Dataset, runs: int, warmup: int, say: Say, home: Home) -> dict[str, Any]:
    """The app as a real process on the encrypted copy, signing in from the password file as the
    demo's busy manager: from the start of the sign-in (the Argon2id derivation of his slot, the
    key unwrapped, the database opened) to the first paint of the main window with Today loaded.
    A person's password typed into the sign-in window starts the same work."""
    encrypted = ensure_encrypted(dataset, say)
    to_window, whole = [], []
    for run in range(warmup + runs):
        env = home(encrypted, encrypted.default_manager) | {
            "PM_DESK_STARTUP_TIMING": "1",
            "PM_DESK_QUIT_AFTER_START": "1",
        }
        finished = run_python(["-m", "pm_desk"], env)
        lines = [x for x in finished.stdout.splitlines() if x.startswith("startup: ")]
        began = next((x for x in lines if x.startswith("startup: sign-in started")), None)
        painted = next((x for x in lines if x.startswith("startup: first window painted")), None)
        if finished.returncode != 0 or began is None or painted is None:
            raise RuntimeError(f"the app did not sign in and paint: exit {finished.returncode}: "
                               f"{finished.stderr[-400:]}")  # fmt: skip
        began_at = float(began.rsplit("(at ", 1)[1].rstrip(")"))
        painted_at = float(painted.rsplit("(at ", 1)[1].rstrip(")"))
        if run >= warmup:
            to_window.append(painted_at - began_at)
            whole.append(painted_at - finished.started_at)
    return {
        SIGN_IN_FIGURE: summary(to_window),
        "details": {
            "sign_in_user": encrypted.default_manager,
            "sign_in_kdf": kdf_in_force(encrypted),
            "encrypted_start_to_window_s": summary(whole),
        },
    }
