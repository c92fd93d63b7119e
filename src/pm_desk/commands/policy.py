"""`pm-desk policy show | set KEY VALUE | import FILE.toml`: the thresholds in force.

Anyone may show them; only an administrator (`--as-user`) changes them, and every change is
audited. A policy file in one's own config folder changes nothing: the policy is the database's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pm_desk.commands.failed import CommandFailed
from pm_desk.services.errors import ServiceError

if TYPE_CHECKING:
    from pm_desk.commands.context import CommandContext
    from pm_desk.domain.policy import Policy
    from pm_desk.services.policy import PolicyChange


def register(commands: Any) -> None:
    parser = commands.add_parser("policy", help="show or change the thresholds in force", description=__doc__)
    actions = parser.add_subparsers(
        dest="policy_command", metavar="ACTION", required=True, parser_class=type(parser)
    )
    show = actions.add_parser("show", help="print every setting and what each rule measures")
    show.set_defaults(handler=run_show)
    setting = actions.add_parser("set", help="change one setting (administrators)")
    setting.add_argument("key", metavar="KEY", help="section.key, as `policy show` lists them (hold.hours)")
    setting.add_argument("value", metavar="VALUE", help="the new value (36, 0.9, true, 08:30)")
    setting.set_defaults(handler=run_set)
    bring = actions.add_parser("import", help="set the settings a TOML file names (administrators)")
    bring.add_argument("file", metavar="FILE.toml", type=Path)
    bring.set_defaults(handler=run_import)


def run_show(context: CommandContext) -> int:
    from pm_desk.domain.rules import catalog
    from pm_desk.services.policy import policy_in_force

    policy = policy_in_force(context.database().uow())
    print(_as_toml(policy), end="")
    print()
    for rule, sentence in catalog.thresholds(policy):
        print(f"# {rule}: {sentence}")
    return 0


def run_set(context: CommandContext) -> int:
    from pm_desk.domain.policy import parse_setting
    from pm_desk.services.policy import change_policy

    args = context.args
    return _report(context, lambda db, actor: change_policy(
        db.uow(), actor, {args.key: parse_setting(args.key, args.value)}, "the setting given"))  # fmt: skip


def run_import(context: CommandContext) -> int:
    from pm_desk.services.policy import import_policy

    path: Path = context.args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandFailed(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    return _report(context, lambda db, actor: import_policy(db.uow(), actor, text, path.name))


def _report(context: CommandContext, change: Any) -> int:
    db = context.database()
    actor = context.actor()
    try:
        done: PolicyChange = change(db, actor)
    except ServiceError as exc:
        raise CommandFailed(str(exc)) from exc
    if not done.changed:
        print("nothing changed: the policy already says so")
        return 0
    for key, (was, now) in done.changed.items():
        print(f"{key}: {_value(was)} → {_value(now)}")
    if done.deadlines_recomputed:
        print(f"{done.deadlines_recomputed:,} hold deadlines recomputed under the new hold settings")
    return 0


def _as_toml(policy: Policy) -> str:
    from pm_desk.domain.policy import policy_items

    lines: list[str] = []
    section = ""
    for key, value in policy_items(policy).items():
        head, _dot, name = key.partition(".")
        if head != section:
            lines.append(f"{'' if not lines else chr(10)}[{head}]")
            section = head
        lines.append(f"{name} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
