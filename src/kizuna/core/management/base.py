"""What every `kizuna` command of the project shares: it speaks the operator's language.

The language is `--lang ja|en` when given (anywhere on the line, every subcommand accepts
it), else the operator's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX's order of
precedence, with GNU `LANGUAGE` first when a locale is set): Japanese for `ja_*`, English for
any other language, and the site's `LANGUAGE_CODE` under the C or POSIX locale or none.
Help, answers and errors all follow it, argparse's own words ("usage:", "the following
arguments are required") included: argparse looks its words up through module-level
gettext functions, which `speaking` points at Django's catalogue while a command runs.

A command adopts it by inheriting `KizunaCommand` instead of Django's `BaseCommand`, and
writes its text through gettext as pages do (docs/architecture.md, "The command line").
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext, gettext_noop, ngettext

LANGUAGES = ("ja", "en")
LANG_OPTION = "--lang"

# argparse's own words, for the catalogue (argparse asks for them by these very strings).
ARGPARSE_WORDS = (
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("%(prog)s: error: %(message)s\n"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("expected one argument"),
    gettext_noop("expected at most one argument"),
    gettext_noop("expected at least one argument"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("one of the arguments %s is required"),
)


# The help of the options Django gives every command, for the catalogue (as Django 5.2
# writes them; one it rewords simply shows in English until this list follows).
DJANGO_OPTION_WORDS = (
    gettext_noop("Show program's version number and exit."),
    gettext_noop(
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
        "3=very verbose output"
    ),
    gettext_noop(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this '
        "isn't provided, the DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    gettext_noop('A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'),
    gettext_noop("Display a full stack trace on CommandError exceptions."),
    gettext_noop("Don't colorize the command output."),
    gettext_noop("Force colorization of the command output."),
    gettext_noop("Skip system checks."),
)


def _language_of_locale(value: str) -> str | None:
    """ja for a Japanese locale (ja_JP.UTF-8, ja), en for any other named language, None
    for C/POSIX or nothing."""
    name = value.split(".", 1)[0].split("@", 1)[0].strip()
    if not name or name in ("C", "POSIX"):
        return None
    return "ja" if name.lower().startswith("ja") else "en"


def locale_language(environ: Mapping[str, str]) -> str:
    """The operator's language from the locale variables (see the module's docstring)."""
    locale = environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG") or ""
    if _language_of_locale(locale) is None:
        return settings.LANGUAGE_CODE
    for wanted in environ.get("LANGUAGE", "").split(":"):
        language = _language_of_locale(wanted)
        if language is not None:
            return language
    return _language_of_locale(locale) or settings.LANGUAGE_CODE


def asked_language(argv: Sequence[str]) -> str | None:
    """The language named by `--lang X` or `--lang=X` on a command line, if a known one;
    an unknown one is left for the parser to refuse, in the locale's language."""
    for position, word in enumerate(argv):
        if word == "--":
            break
        value = None
        if word == LANG_OPTION and position + 1 < len(argv):
            value = argv[position + 1]
        elif word.startswith(LANG_OPTION + "="):
            value = word.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return None


def operator_language(argv: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> str:
    return asked_language(argv) or locale_language(os.environ if environ is None else environ)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Django's active language and argparse's words in `language` for the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        with translation.override(language):
            yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _add_lang(parser: argparse.ArgumentParser) -> None:
    """`--lang` on the parser and on every subcommand's parser, so it may stand anywhere."""
    parser.add_argument(
        LANG_OPTION,
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=gettext("language of help, answers and errors (default: from LANG)"),
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in dict.fromkeys(action.choices.values()):
                _add_lang(subparser)


class KizunaCommand(BaseCommand):
    """A project command: help, answers and errors in the operator's language."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # `help` is English, marked with gettext_noop; the operator reads it translated.
        parser.description = gettext(self.help) if self.help else None
        for action in parser._actions:
            if action.help in DJANGO_OPTION_WORDS:
                action.help = gettext(action.help)
        _add_lang(parser)
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        # The language must be known before parsing: --help prints during it.
        with speaking(operator_language(argv[2:])):
            super().run_from_argv(argv)

    def execute(self, *args: Any, **options: Any) -> str | None:
        # From the command line the operator's language is already active (run_from_argv);
        # from code (call_command), the caller's, unless it passes lang.
        language = options.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
        with speaking(language):
            return super().execute(*args, **options)
