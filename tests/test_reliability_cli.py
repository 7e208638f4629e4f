"""The command line when its output cannot be written, its input is hostile or its request has no data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import locations
from tui.cli import main
from tui.trade import NoTradeError, Period, UnknownPartner, find_partner, partner_summary

# the commands read the shipped data already parsed, as after a first run (conftest.py: each test its own copy)
pytestmark = pytest.mark.usefixtures("warm_cache")

ROOT = Path(__file__).resolve().parent.parent


def tradegap(*args: str, env: dict[str, str] | None = None, shell: str | None = None, **options):
    """`python -m tui ARGS` in a subprocess (from this checkout), or `sh -c SHELL` around it."""
    command = [sys.executable, "-m", "tui", *args]
    if shell is not None:
        command = ["sh", "-c", shell, "sh", *command]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(command, env=environment, timeout=60, cwd=ROOT, **options)


def run(capsys, *argv: str):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str | bytes) -> bool:
    text = err.decode() if isinstance(err, bytes) else err
    return text.count("\n") == 1 and text.endswith("\n") and "Traceback" not in text and "\x1b" not in text


# ---------------------------------------------------------------- output that cannot be written


@pytest.mark.parametrize("args", [("top", "3"), ("show", "china", "--format", "json"), ("--help",), ("--version",)])
def test_a_full_disk_is_one_line_and_status_1(args):
    with open("/dev/full", "w") as full:
        result = tradegap(*args, stdout=full)
    assert result.returncode == 1
    assert result.stderr == b"tradegap: cannot write the output: No space left on device\n"


def test_a_closed_stdout_is_one_line_and_status_1():
    result = tradegap("top", "3", shell='exec "$@" >&-')
    assert result.returncode == 1
    assert result.stderr == b"tradegap: standard output is closed: nowhere to write the output\n"


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("paths",)])
def test_a_closed_stdout_is_said_for_every_command(args):
    result = tradegap(*args, shell='exec "$@" >&-')
    assert result.returncode == 1
    assert result.stderr == b"tradegap: standard output is closed: nowhere to write the output\n"


def test_a_closed_stdout_does_not_become_the_settings_file(tmp_path):
    """With fd 1 closed, the first file opened would take its number: nothing may be written into it."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"view": "all"}))
    env = {"TRADEGAP_CONFIG_DIR": str(config)}
    result = tradegap("paths", shell='exec "$@" >&-', env=env)
    assert result.returncode == 1
    assert json.loads((config / "settings.json").read_text()) == {"view": "all"}


def test_a_reader_that_went_away_ends_quietly_with_sigpipes_status():
    read, write = os.pipe()
    os.close(read)
    try:
        result = tradegap("top", stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 128 + 13
    assert result.stderr == b""


@pytest.mark.slow
def test_a_broken_stderr_still_gives_the_status():
    read, write = os.pipe()
    os.close(read)
    try:
        result = tradegap("show", "narnia", stderr=write)
        broken_out = tradegap("top", "3", stdout=write, stderr=write)
    finally:
        os.close(write)
    assert result.returncode == 2
    assert broken_out.returncode == 128 + 13


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "PYTHONUTF8": "0", "LANG": "C"}],
                         ids=["PYTHONIOENCODING", "LC_ALL=C"])
def test_an_ascii_stdout_gets_ascii_forms(env):
    result = tradegap("top", "3", "--year", "2024", env={**env, "PYTHONIOENCODING": env.get("PYTHONIOENCODING", "")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii() and result.stderr == b""
    assert b"US goods trade deficits | 2024 | all partners" in result.stdout
    result = tradegap("show", "Vietnm", env=env)
    assert result.returncode == 2
    assert result.stderr == b"tradegap: no partner 'Vietnm' - did you mean Vietnam?\n"


# ---------------------------------------------------------------- what the user typed, echoed


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "a\x1b[31mred\nsecond line"],
        ["top", "--year", "20\x1b]0;pwned\x0724"],
        ["top", "--format", "\x1b[2J"],
        ["top", "--group", "\u202enowhere"],
        ["--theme", "x\x1b[?1049h\r\n"],
        ["frobnicate\x1b[H"],
        ["sectors", "--partner", "\x00\x7f\x9b"],
    ],
    ids=["partner", "year", "format", "bidi-group", "theme", "command", "c1"],
)
def test_control_characters_typed_are_escaped_in_the_one_line(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert one_line(err), repr(err)
    assert err.rstrip("\n").isprintable(), repr(err)
    assert "\\x1b" in err or "\\u202e" in err or "\\x00" in err


@pytest.mark.parametrize("typed", ["\x01" * 5000, "9" * 5000], ids=["escaped", "printable"])
def test_a_long_echo_is_cut_at_500_characters_as_shown(capsys, typed):
    status, out, err = run(capsys, "top", "--year", typed)
    assert status == 2 and out == "" and one_line(err)
    echoed = err.split("'", 1)[1]
    assert len(echoed) <= 500 and echoed.rstrip("\n").endswith("...")
    assert ("\\x01" if "\x01" in typed else "999") in echoed


def test_a_long_echo_is_cut_as_an_ascii_terminal_shows_it():
    result = tradegap("top", "--year", "\u2026" * 5000, env={"PYTHONIOENCODING": "ascii"})  # '…' shows as '...'
    line = result.stderr.decode("ascii")
    assert result.returncode == 2 and line.count("\n") == 1
    assert len(line) <= len("tradegap: ") + 500 + 1 and "......" in line


def test_a_long_name_nothing_matches_is_echoed_cut_as_shown(capsys):
    status, out, err = run(capsys, "show", "\x01" * 100)
    assert status == 2 and out == "" and one_line(err)
    assert "\\x01" in err and len(err.split("'")[1]) <= 60


@pytest.mark.parametrize("name", ["TRADEGAP_DATA_DIR", "TRADEGAP_EXPORT_DIR"])
@pytest.mark.parametrize("command", [["top"], []], ids=["top", "app"])
def test_control_characters_in_a_directory_override_are_refused(capsys, monkeypatch, tmp_path, command, name):
    monkeypatch.setenv(name, str(tmp_path / "no\x1b[2Jwhere\n"))
    status, out, err = run(capsys, *command)
    assert status == 2 and one_line(err) and "\\x1b[2J" in err and name in err


def ascii_decoded(text: str) -> str:
    """text typed in a UTF-8 terminal as Python decodes the command line under LC_ALL=C with PYTHONUTF8=0."""
    return text.encode().decode("ascii", "surrogateescape")


def test_a_name_python_decoded_as_ascii_is_read_as_the_utf8_it_is(capsys):
    expected = run(capsys, "show", "côte", "--year", "2024")
    assert expected[0] == 0 and expected[1].startswith("Cote d'Ivoire (CIV)")
    assert ascii_decoded("côte") == "c\udcc3\udcb4te"
    assert run(capsys, "show", ascii_decoded("côte"), "--year", "2024") == expected
    # every command's names, options' and lists of them too: read where the command line is parsed
    status, out, err = run(capsys, "compare", ascii_decoded("côte d’ivoire"), ascii_decoded("türkiye"), "--year", "2024")
    assert (status, err) == (0, "") and out.startswith("Cote d'Ivoire vs Turkey · 2024")
    status, out, err = run(capsys, "sectors", "3", "--partner", ascii_decoded("côte"))
    assert (status, err) == (0, "") and out.startswith("HS chapters by balance · 2024 · Cote d'Ivoire")


def test_a_name_whose_bytes_are_not_utf8_is_left_as_python_decoded_it(capsys):
    latin1 = "côte".encode("latin-1").decode("ascii", "surrogateescape")  # 'c\udcf4te'
    status, out, err = run(capsys, "show", latin1)
    assert (status, out) == (2, "") and one_line(err) and "no partner 'c\\udcf4te'" in err


@pytest.mark.slow
def test_a_name_typed_under_lc_all_c_finds_its_partner_and_a_file_name_is_opened_as_given(tmp_path):
    env = {"LC_ALL": "C", "PYTHONUTF8": "0", "LANG": "C"}
    result = tradegap("show", "côte", "--year", "2024", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"Cote d'Ivoire (CIV) | Africa | 2024")
    # a file's name is not a partner's: kept as Python decoded it, so that the file opens ('côte.csv' in
    # UTF-8 could not be encoded to ASCII to open it). This one is found, read, and is no country file.
    (tmp_path / "data").mkdir()
    (tmp_path / "côte.csv").write_text("year,name\n", encoding="utf-8")
    result = tradegap("import", str(tmp_path / "côte.csv"), env={**env, "TRADEGAP_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 1 and b"missing columns" in result.stderr and one_line(result.stderr)


def test_a_huge_argument_is_echoed_cut_short(capsys):
    status, out, err = run(capsys, "top", "--year", "9" * 5_000)
    assert status == 2 and one_line(err) and len(err) <= 520


@pytest.mark.parametrize("argv", [["top", "--group", ""], ["sectors", "--partner", ""], ["sectors", "--group", ""]])
def test_an_empty_name_is_not_taken_for_no_name(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "") and one_line(err) and "''" in err


# ---------------------------------------------------------------- N and requests without data


@pytest.mark.parametrize("command", ["top", "sectors"])
@pytest.mark.parametrize("n", ["0", "-3"])
def test_n_must_be_at_least_one(capsys, command, n):
    status, out, err = run(capsys, command, n)
    assert (status, out) == (2, "")
    assert err == f"tradegap: N must be at least 1, not {n}\n"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["sectors", "--partner", "ussr"], "no chapter data for USSR (former) in 2024 (sectors cover 2023-2024)"),
        (["sectors", "--partner", "yugoslavia", "--year", "2023"], "no chapter data for Yugoslavia (former) in 2023"),
        (["show", "ussr"], "no recorded trade with USSR (former) in 2026 Jan-Aug (data for 1985-1992)"),
    ],
)
def test_a_valid_request_without_data_is_one_line_and_status_2(capsys, argv, says):
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert one_line(err) and says in err


def test_no_trade_is_a_sentence_that_keeps_the_partners_name(dataset):
    with pytest.raises(NoTradeError) as error:
        partner_summary(dataset, "4610", Period(2026, 8))
    assert str(error.value).startswith("No recorded trade with USSR (former) in 2026 Jan-Aug")


async def test_the_detail_keeps_the_partners_name_as_written(make_app):
    from textual.widgets import Static

    from pilot_helpers import settle

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        from tui.messages import OpenPartner

        app.post_message(OpenPartner("4610"))
        await settle(pilot)
        text = str(app.screen.query_one("#figures", Static).content)
        assert text.startswith("No recorded trade with USSR (former) in 2026 Jan-Aug"), text


# ---------------------------------------------------------------- app options


@pytest.mark.parametrize(
    "argv",
    [["--reset", "top", "1"], ["--theme", "nord", "show", "china"], ["--no-mouse", "top"], ["--theme=x", "paths"]],
)
def test_app_options_with_a_command_are_refused(capsys, argv):
    path = locations.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"view": "all"}))
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert one_line(err) and "is an option of the app, not of" in err
    assert json.loads(path.read_text()) == {"view": "all"}


def test_reset_with_an_unknown_theme_changes_nothing(capsys):
    path = locations.settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"view": "all"}))
    status, out, err = run(capsys, "--reset", "--theme", "nope")
    assert (status, out) == (2, "")
    assert one_line(err) and "unknown theme 'nope'" in err
    assert json.loads(path.read_text()) == {"view": "all"}


# ---------------------------------------------------------------- partners as people write them


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("U.K.", "4120"), ("u.k", "4120"), ("U.A.E.", "5200"), ("S. Korea", "5800"), ("s korea", "5800"),
        ("N. Korea", "5790"), ("n korea", "5790"), ("korea, north", "5790"), ("Korea, Republic of", "5800"),
        ("cote d ivoire", "7480"), ("Cote D'Ivoire", "7480"), ("côte-d’ivoire", "7480"),
        ("St. Lucia", "2487"), ("Saint Lucia", "2487"), ("St.Lucia", "2487"), ("St. Kitts & Nevis", "2483"),
        ("S. Africa", "7910"), ("N. Macedonia", "4794"), ("S. Sudan", "7323"), ("D.R. Congo", "7660"),
        ("Bosnia-Herzegovina", "4793"), ("the Bahamas", "2360"), ("Bahamas, The", "2360"),
        ("Trinidad-Tobago", "2740"), ("  united   kingdom ", "4120"), ("Swaziland", "7950"), ("Cape Verde", "7643"),
        # one word is a code, never an abbreviation: ST is Sao Tome, IS Iceland, MT Malta, AND Andorra
        ("ST", "7644"), ("IS", "4000"), ("MT", "4730"), ("AND", "4271"),
    ],
)
def test_partners_as_people_write_them(dataset, query, code):
    assert find_partner(dataset, query) == code


@pytest.mark.parametrize(
    ("query", "first"),
    [("North Korae", "North Korea"), ("Sout Korea", "South Korea"), ("Phillipines", "Philippines"),
     ("germny", "Germany"), ("Kyrgystan", "Kyrgyzstan")],
)
def test_the_closest_name_is_suggested_first(dataset, query, first):
    with pytest.raises(UnknownPartner) as error:
        find_partner(dataset, query)
    assert error.value.suggestions[0] == first


def test_a_very_long_query_is_answered_fast_and_echoed_short(dataset):
    import time

    started = time.perf_counter()
    with pytest.raises(UnknownPartner) as error:
        find_partner(dataset, "korea " * 20_000)
    assert time.perf_counter() - started < 1
    assert len(str(error.value)) < 120
