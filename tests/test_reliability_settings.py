"""The settings file under hostile conditions: special files, hostile JSON, symlinks, leftovers, two writers."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui import locations
from tui.cli import main
from tui.settings import Settings, load_settings, save_settings

ROOT = Path(__file__).resolve().parent.parent


def _load_in_a_subprocess(path: Path, timeout: float = 20) -> subprocess.CompletedProcess:
    """load_settings(path) in its own process, so that a hang fails the test instead of stopping the run."""
    code = ("import sys; from pathlib import Path; from tui.settings import load_settings\n"
            "settings, notice = load_settings(Path(sys.argv[1])); print(settings == type(settings)()); print(notice)")
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


# ---------------------------------------------------------------- what is at the path


def test_a_fifo_in_place_of_the_file_does_not_hang_the_start(tmp_path):
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    result = _load_in_a_subprocess(path)
    defaults, notice = result.stdout.splitlines()
    assert defaults == "True"
    assert "is a FIFO, not a regular file" in notice and str(path) in notice
    assert stat.S_ISFIFO(path.stat().st_mode)  # left where it is: it is not ours to move


def test_a_device_in_place_of_the_file_is_not_read(tmp_path):
    path = tmp_path / "settings.json"
    path.symlink_to("/dev/zero")  # endless: reading it whole would never finish
    result = _load_in_a_subprocess(path)
    defaults, notice = result.stdout.splitlines()
    assert defaults == "True" and "is a device, not a regular file" in notice


def test_saving_over_a_fifo_raises_and_leaves_it(tmp_path):
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    with pytest.raises(OSError):
        save_settings(path, Settings(view="all"))
    assert stat.S_ISFIFO(path.stat().st_mode)


def test_a_file_that_cannot_be_read_is_never_saved_over(tmp_path, monkeypatch):
    # for a user, a file another account owns, mode 600; the tests run as any user, root too: the open fails
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"period": "2024", "view": "all"}))
    real_open = os.open

    def denied(file, flags, *args, **kwargs):
        if Path(file) == path and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    settings, notice = load_settings(path)
    assert settings == Settings() and "cannot be read (Permission denied)" in notice
    with pytest.raises(OSError, match="not saved over"):
        save_settings(path, Settings(view="surplus"))
    monkeypatch.setattr(os, "open", real_open)
    assert json.loads(path.read_text()) == {"period": "2024", "view": "all"}


def test_a_damaged_file_that_cannot_be_kept_aside_is_not_saved_over(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{damaged")
    path.with_name("settings.json.bad").mkdir()  # where it would be kept
    settings, notice = load_settings(path)
    assert settings == Settings() and "kept as" not in notice
    with pytest.raises(OSError, match="not saved over"):
        save_settings(path, Settings(view="surplus"))
    assert path.read_text() == "{damaged"


def test_a_huge_file_is_not_read_whole(tmp_path):
    path = tmp_path / "settings.json"
    content = b'{"theme": "' + b"x" * 5_000_000 + b'"}'
    path.write_bytes(content)
    started = time.perf_counter()
    settings, notice = load_settings(path)
    assert time.perf_counter() - started < 1
    assert settings == Settings() and "is too large" in notice and "\n" not in notice
    assert (tmp_path / "settings.json.bad").stat().st_size == len(content)


# ---------------------------------------------------------------- hostile JSON


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"[" * 50_000, "is not valid JSON"),
        (b'{"period": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "is not valid JSON"),
        (b'{"min_size": ' + b"7" * 5_000 + b"}", "is not valid JSON"),
        (b'{"min_size": 1e999}', "invalid min_size"),
        (b'{"min_size": NaN}', "invalid min_size"),
        (b'{"theme": "' + b"t" * 20_000 + b'"}', "invalid theme"),
        (b'{"theme": "nord\\u001b[2J\\n"}', "invalid theme"),
        (b'{"period": "2024\\ud800"}', "invalid period"),
        (b'{"group": "' + b"g" * 500 + b'"}', "invalid group"),
        (b'{"version": true}', "unsupported version"),
        (b'{' + b",".join(b'"k%d": 1' % i for i in range(2000)) + b"}", "unknown key(s)"),
    ],
    ids=["deep-list", "deep-value", "5000-digits", "infinity", "nan", "long-theme", "control-theme",
         "surrogate", "long-group", "bool-version", "many-keys"],
)
def test_hostile_json_gives_defaults_one_short_line_and_is_kept(tmp_path, content, says):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings, notice = load_settings(path)
    assert settings == Settings()
    assert says in notice
    assert "\n" not in notice and "\x1b" not in notice and len(notice) < 300
    assert (tmp_path / "settings.json.bad").read_bytes() == content


def test_bad_files_are_kept_aside_five_at_most_newest_first(tmp_path):
    path = tmp_path / "settings.json"
    for n in range(7):
        path.write_text(f"bad {n}")
        assert load_settings(path)[0] == Settings()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["settings.json.bad"] + [f"settings.json.bad.{n}" for n in range(1, 5)]
    assert [(tmp_path / name).read_text() for name in kept] == ["bad 6", "bad 5", "bad 4", "bad 3", "bad 2"]


# ---------------------------------------------------------------- symlinks


def test_a_symlinked_file_is_written_through_and_keeps_its_mode(tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "tradegap.json"
    target.write_text(json.dumps({"view": "all"}))
    target.chmod(0o640)
    config = tmp_path / "config"
    config.mkdir()
    link = config / "settings.json"
    link.symlink_to(target)
    settings, notice = load_settings(link)
    assert notice is None and settings.view == "all"
    save_settings(link, settings.changed(sort="name"))
    assert link.is_symlink() and link.resolve() == target
    assert load_settings(target)[0] == Settings(view="all", sort="name")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in dotfiles.iterdir()) == ["tradegap.json"]
    assert sorted(p.name for p in config.iterdir()) == ["settings.json"]


def test_a_dangling_symlink_is_written_through(tmp_path):
    target = tmp_path / "elsewhere.json"
    link = tmp_path / "settings.json"
    link.symlink_to(target)
    assert load_settings(link) == (Settings(), None)
    save_settings(link, Settings(view="surplus"))
    assert link.is_symlink() and load_settings(target)[0].view == "surplus"


# ---------------------------------------------------------------- leftovers of interrupted writes


def test_stale_temp_files_are_removed_at_the_next_load_and_save(tmp_path):
    path = tmp_path / "settings.json"
    old = time.time() - 3600
    stale = [tmp_path / f".settings.json.{n}.tmp" for n in ("a1b2", "c3d4")]
    for leftover in stale:
        leftover.write_text("{")
        os.utime(leftover, (old, old))
    fresh = tmp_path / ".settings.json.busy.tmp"  # another tradegap may be writing it right now
    fresh.write_text("{")
    other = tmp_path / "notes.tmp"
    other.write_text("not ours")
    os.utime(other, (old, old))
    load_settings(path)
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and other.exists()
    os.utime(fresh, (old, old))
    save_settings(path, Settings(view="all"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.tmp", "settings.json"]


# ---------------------------------------------------------------- two tradegaps


def test_a_save_keeps_what_another_tradegap_changed_meanwhile(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(view="surplus", theme="nord"))
    mine, _ = load_settings(path)
    # another tradegap changes the theme and the group, after this one loaded the file
    path.write_text(json.dumps({"version": 1, "view": "surplus", "theme": "gruvbox", "group": "0003"}))
    mine = mine.changed(sort="name")
    save_settings(path, mine)
    assert on_disk(path) == Settings(view="surplus", theme="gruvbox", group="0003", sort="name")
    # a key this process changes back to what it loaded is written too
    mine = mine.changed(sort="rank", view="all")
    save_settings(path, mine)
    assert on_disk(path) == Settings(view="all", theme="gruvbox", group="0003", sort="rank")


def on_disk(path: Path) -> Settings:
    """The file's settings, read without load_settings (which would make them this process's own)."""
    data = json.loads(path.read_text())
    data.pop("version")
    return Settings(**data)


def _change_one_key(path: Path, key: str, value: str, ready, go) -> None:
    settings, _ = load_settings(path)
    ready.set()
    go.wait()
    save_settings(path, settings.changed(**{key: value}))


def test_two_processes_changing_different_keys_keep_both(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings())
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    changes = [("view", "surplus"), ("theme", "nord"), ("sort", "exports"), ("tab", "regions")]
    readies = [ctx.Event() for _ in changes]
    workers = [ctx.Process(target=_change_one_key, args=(path, key, value, ready, go))
               for (key, value), ready in zip(changes, readies, strict=True)]
    for w in workers:
        w.start()
    for ready in readies:
        assert ready.wait(20)
    go.set()  # every one of them loaded the same file before any saves
    for w in workers:
        w.join(20)
        assert w.exitcode == 0
    assert load_settings(path)[0] == Settings(view="surplus", theme="nord", sort="exports", tab="regions")


# ---------------------------------------------------------------- where the files are


def test_a_tilde_in_an_override_is_the_home_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", "~/conf")
    monkeypatch.setenv("TRADEGAP_CACHE_DIR", "~")
    assert locations.settings_path() == tmp_path / "home" / "conf" / "settings.json"
    assert locations.cache_dir() == tmp_path / "home"
    monkeypatch.chdir(tmp_path)
    save_settings(locations.settings_path(), Settings(view="all"))
    assert not (tmp_path / "~").exists()
    assert (tmp_path / "home" / "conf" / "settings.json").is_file()


def test_an_empty_override_is_as_if_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", "  ")
    assert locations.config_dir() == tmp_path / "xdg" / "tradegap"


@pytest.mark.parametrize("value", ["conf", "./conf", "~no-such-user-here/conf"])
@pytest.mark.parametrize("name", ["TRADEGAP_CONFIG_DIR", "TRADEGAP_CACHE_DIR", "TRADEGAP_DATA_DIR",
                                  "TRADEGAP_EXPORT_DIR"])
def test_a_relative_override_is_refused_in_one_line(capsys, monkeypatch, tmp_path, name, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    assert main(["paths"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith(f"tradegap: {name} must be an absolute path") and repr(value) in err
    assert list(tmp_path.iterdir()) == []


def test_stale_cache_temp_files_are_removed_at_the_next_load(tmp_path):
    from tui.trade import load_dataset

    cache = tmp_path / "cache"
    cache.mkdir()
    old = time.time() - 3600
    leftovers = [cache / ".dataset-x1y2z3.tmp", cache / ".first-screen-q1w2.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"\0" * 1000)
        os.utime(leftover, (old, old))
    fresh = cache / ".dataset-now.tmp"
    fresh.write_bytes(b"\0")
    load_dataset(cache_dir=cache)
    assert not any(p.exists() for p in leftovers) and fresh.exists()
    load_dataset(cache_dir=cache)  # from the cache this time: leftovers are looked for all the same
    assert not any(p.name.endswith(".tmp") and p != fresh for p in cache.iterdir())


def test_a_byte_order_mark_is_not_a_mistake(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"view": "all"}).encode())
    assert load_settings(path) == (Settings(view="all"), None)


def test_a_file_damaged_after_loading_is_kept_aside_at_the_next_save(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(view="all"))
    mine, _ = load_settings(path)
    path.write_text("{ damaged")
    save_settings(path, mine.changed(sort="name"))
    assert (tmp_path / "settings.json.bad").read_text() == "{ damaged"
    assert on_disk(path) == Settings(view="all", sort="name")
