"""`kizuna acsa categories|situations|check`: the agreement's reference data and eligibility
answers on the command line, as text or JSON, in the operator's language. Situations and
categories are given by code or by a Japanese or English name. Exit 0 when answered, 2 on
bad input."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kizuna.core.management.base import KizunaCommand

from ... import rules, selectors

BAD_INPUT = 2


class Command(KizunaCommand):
    help = gettext_noop("ACSA reference data and eligibility checks.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listings = {
            "categories": _("the categories of supplies and services, with their codes"),
            "situations": _("the situations and activities, with their codes"),
            "versions": _("the agreement's versions, with their dates and sources"),
            "settlement": _("the settlement rules, with their sources"),
        }
        for name, summary in listings.items():
            listing = sub.add_parser(name, help=summary, description=summary)
            listing.add_argument("--json", action="store_true", help=_("print JSON"))
        summary = _("may this category be provided in this situation on this date?")
        check = sub.add_parser(
            "check",
            help=summary,
            description=summary,
            epilog=_(
                "Codes: `kizuna acsa situations` lists the situations, "
                "`kizuna acsa categories` the categories. A Japanese or English name "
                "(燃料, fuel) stands for its code."
            ),
        )
        check.add_argument(
            "--situation",
            required=True,
            help=_("situation code or name (see `kizuna acsa situations`)"),
        )
        check.add_argument(
            "--category",
            required=True,
            help=_("category code or name (see `kizuna acsa categories`)"),
        )
        check.add_argument("--on", help=_("YYYY-MM-DD; today in Japan when omitted"))
        check.add_argument(
            "--from",
            dest="supplier",
            metavar="JPN|USA",
            help=_(
                "the supplying side: JPN (the SDF to US forces) or USA (US forces to the SDF); "
                "some situations run one way only"
            ),
        )
        check.add_argument("--json", action="store_true", help=_("print JSON"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "check":
            self._check(options)
            return
        rows = {
            "categories": selectors.category_rows,
            "situations": selectors.situation_rows,
            "versions": selectors.version_rows,
            "settlement": selectors.settlement_rule_rows,
        }[action]()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if action == "settlement":
            for row in rows:
                text = row["text"]["ja" if translation.get_language() == "ja" else "en"]
                self.stdout.write(f"{row['rule']:<10} {text}  [{row['source']}]")
            return
        for row in rows:
            line = f"{row['code']:<48} {row['name_ja']} / {row['name_en']}"
            if action == "categories":
                line += f"  {selectors.kind_label(row)}"
            if action == "versions":
                line += f"  {row['in_force_from']}"
            self.stdout.write(line)

    def _check(self, options: dict[str, Any]) -> None:
        on = None
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                self._bad_input(
                    _("Malformed date “%(value)s”: use YYYY-MM-DD.") % {"value": options["on"]}
                )
        try:
            situation = selectors.reference_code("situation", options["situation"])
            category = selectors.reference_code("category", options["category"])
            answer = rules.check(situation, category, on, rules.supplier(options["supplier"]))
        except ValidationError as error:
            self._bad_input(" ".join(error.messages))
        if options["json"]:
            self.stdout.write(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
            return
        verdict = {True: _("allowed"), False: _("not allowed"), None: _("unknown")}[answer.allowed]
        self.stdout.write(f"{verdict} ({answer.agreement or '—'})")
        for reason in answer.reasons:
            self.stdout.write(f"  {reason}")
        for citation in answer.citations:
            self.stdout.write(f"  [{citation}]")

    def _bad_input(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(BAD_INPUT)
