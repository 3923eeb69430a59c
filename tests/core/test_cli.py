"""The command line speaks the operator's language: help, answers and errors of every
project command, from LANG or --lang."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection
from django.test import override_settings

from kizuna.core.management.base import KizunaCommand, operator_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run `kizuna ARGS` in this process as the entry point does, with LANG set; returns
    (exit code, stdout, stderr). The command's closing of connections is skipped: it would
    close the test's own transaction."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)

    def kizuna(*args: str, lang: str = "C.UTF-8") -> tuple[int, str, str]:
        monkeypatch.setenv("LANG", lang)
        try:
            ManagementUtility(["kizuna", *args]).execute()
            code = 0
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return kizuna


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        ((), {"LANG": "en_US.UTF-8"}, "en"),
        ((), {"LANG": "ja_JP.UTF-8"}, "ja"),
        ((), {"LANG": "fr_FR.UTF-8"}, "en"),
        ((), {"LANG": "C.UTF-8"}, "ja"),  # the site's language
        ((), {}, "ja"),
        ((), {"LANG": "ja_JP.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ((), {"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}, "ja"),
        ((), {"LANG": "en_US.UTF-8", "LANGUAGE": "ja:en"}, "ja"),
        ((), {"LANG": "C", "LANGUAGE": "en"}, "ja"),  # GNU: LANGUAGE ignored under C
        (("check", "--lang", "en"), {"LANG": "ja_JP.UTF-8"}, "en"),
        (("--lang=ja",), {"LANG": "en_US.UTF-8"}, "ja"),
        (("--lang", "fr"), {"LANG": "en_US.UTF-8"}, "en"),  # unknown: the parser refuses it
    ],
)
def test_the_operators_language_comes_from_lang_or_the_option(
    argv: tuple[str, ...], environ: dict[str, str], expected: str
) -> None:
    assert operator_language(argv, environ) == expected


def test_every_project_command_speaks_through_the_shared_base() -> None:
    from django.core.management import get_commands, load_command_class

    ours = {name: app for name, app in get_commands().items() if app.startswith("kizuna")}
    assert {"acsa", "audit", "demo", "serve"} <= set(ours)
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), KizunaCommand), name


def test_acsa_check_help_says_where_the_codes_are_in_both_languages(
    run: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, _ = run("acsa", "check", "--help", lang="ja_JP.UTF-8")
    assert code == 0
    assert "使い方:" in out
    assert "オプション" in out
    assert "このヘルプを表示して終了する" in out
    assert "kizuna acsa situations" in out
    assert "kizuna acsa categories" in out
    assert "事態・活動の類型のコードまたは名称" in out
    code, out, _ = run("audit", "--help", lang="ja_JP.UTF-8")
    assert "監査チェーンを検証するか、そのチェックポイントに署名します。" in out
    assert "出力の詳しさ" in out  # Django's own options too
    assert "Verbosity" not in out
    code, out, _ = run("acsa", "check", "--help", lang="en_US.UTF-8")
    assert code == 0
    assert "usage:" in out
    assert "situation code or name (see `kizuna acsa situations`)" in out
    assert "`kizuna acsa categories`" in out
    code, out, _ = run("acsa", "check", "--help", "--lang", "en", lang="ja_JP.UTF-8")
    assert "usage:" in out
    assert "使い方" not in out


def test_argument_errors_follow_the_operators_language(
    run: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = run("acsa", "check", "--situation", "armed-attack", lang="ja_JP.UTF-8")
    assert code == 2
    assert "エラー: 次の引数が必要です: --category" in err
    code, _, err = run("acsa", "check", "--situation", "armed-attack", lang="en_US.UTF-8")
    assert "error: the following arguments are required: --category" in err
    code, _, err = run("acsa", "check", "--lang", "fr", lang="en_US.UTF-8")
    assert code == 2
    assert "invalid choice: 'fr'" in err


@pytest.mark.django_db
def test_codes_are_also_accepted_by_their_japanese_or_english_names(
    run: Callable[..., tuple[int, str, str]],
) -> None:
    answers = set()
    for category in ("petroleum", "燃料", "fuel", "Fuel", "燃料・油脂・潤滑油", "lubricants"):
        code, out, err = run(
            "acsa",
            "check",
            "--situation",
            "重要影響事態",
            "--category",
            category,
            "--on",
            "2020-01-01",
            "--json",
        )
        assert (code, err) == (0, ""), category
        answers.add(out)
    assert len(answers) == 1
    code, out, _ = run(
        "acsa", "check", "--situation", "important influence situation", "--category", "fuel",
        "--on", "2020-01-01", lang="en_US.UTF-8",
    )  # fmt: skip
    assert code == 0
    assert out.startswith("allowed")
    assert "Petroleum, oils and lubricants" in out
    assert "燃料" not in out  # the answer in the operator's language only


@pytest.mark.django_db
def test_an_unknown_code_gets_the_nearest_suggestions_in_the_operators_language(
    run: Callable[..., tuple[int, str, str]],
) -> None:
    code, _, err = run(
        "acsa", "check", "--situation", "armed-attack", "--category", "petrolium",
        lang="en_US.UTF-8",
    )  # fmt: skip
    assert code == 2
    assert "Unknown code “petrolium”" in err
    assert "petroleum (Petroleum, oils and lubricants)" in err
    code, _, err = run(
        "acsa", "check", "--situation", "armed-attack", "--category", "燃科",
        lang="ja_JP.UTF-8",
    )  # fmt: skip
    assert code == 2
    assert "petroleum (燃料・油脂・潤滑油)" in err
    assert "Unknown" not in err


@pytest.mark.django_db
def test_audit_verify_answers_in_the_operators_language(
    run: Callable[..., tuple[int, str, str]],
) -> None:
    assert "監査チェーンは完全です" in run("audit", "verify", lang="ja_JP.UTF-8")[1]
    assert "audit chain intact: 0 events" in run("audit", "verify", lang="en_US.UTF-8")[1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the guard is SQLite's")
def test_serve_refuses_in_the_operators_language(run: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run("serve", "--workers", "2", lang="ja_JP.UTF-8")
    assert code == 1
    assert "1プロセス" in err
    with pytest.raises(CommandError, match="one process"):
        call_command("serve", workers=2, lang="en")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
@override_settings(DEMO_MODE=True)
def test_demo_prints_the_log_ins_with_roles_in_both_languages_and_a_bar_only_on_a_terminal() -> (
    None
):
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", stdout=out, stderr=err, lang="en")
    assert err.getvalue() == ""  # not a terminal: no bar
    text = out.getvalue()
    assert "Demo log-ins (password: kizuna-demo):" in text
    assert "jp-ordering" in text
    assert "要請権者 / ordering official" in text
    assert "山田 太郎 / Taro Yamada" in text
    terminal = _Terminal()
    call_command("demo", stdout=io.StringIO(), stderr=terminal, lang="ja")
    assert "100%" in terminal.getvalue()


def test_make_run_serves_on_the_port_given() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "kizuna serve --port 8001" in dry_run.stdout
