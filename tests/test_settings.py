import json
import multiprocessing
import os

import pytest

from tui.settings import Settings, load_settings, reset_settings, save_settings


def test_missing_file_gives_defaults_quietly(tmp_path):
    settings, notice = load_settings(tmp_path / "settings.json")
    assert settings == Settings()
    assert notice is None


def test_save_then_load_round_trips(tmp_path):
    path = tmp_path / "deep" / "settings.json"
    wanted = Settings(period="2024", group="ASEAN", view="all", sort="exports", descending=True, min_size=1000.0,
                      tab="regions", theme="nord")
    save_settings(path, wanted)
    assert load_settings(path) == (wanted, None)
    assert json.loads(path.read_text())["version"] == 1


def test_save_leaves_no_temp_files(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(view="surplus"))
    save_settings(path, Settings(view="all"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"   \n", "is empty"),
        (b'{"period": "2024", "view": ', "is not valid JSON"),
        (b"\x00\xff\xfe garbage \x89PNG", "is not valid JSON"),
        (b"[1, 2, 3]", "is not a JSON object"),
        (b'{"colour": "red"}', "unknown key(s) 'colour'"),
        (b'{"view": "sideways"}', "invalid view"),
        (b'{"min_size": "big"}', "invalid min_size"),
        (b'{"min_size": -5}', "invalid min_size"),
        (b'{"descending": "yes"}', "invalid descending"),
        (b'{"tab": 3}', "invalid tab"),
        (b'{"period": 2024}', "invalid period"),
        (b'{"version": 99}', "unsupported version"),
    ],
)
def test_bad_files_give_defaults_a_notice_and_are_kept_aside(tmp_path, content, reason):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings, notice = load_settings(path)
    assert settings == Settings()
    assert reason in notice
    assert "\n" not in notice
    assert (tmp_path / "settings.json.bad").read_bytes() == content
    assert not path.exists()


def test_a_directory_where_the_file_should_be(tmp_path):
    path = tmp_path / "settings.json"
    path.mkdir()
    settings, notice = load_settings(path)
    assert settings == Settings()
    assert "is a directory" in notice
    with pytest.raises(OSError):
        save_settings(path, Settings())
    assert path.is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory_raises_and_writes_nothing(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OSError):
            save_settings(locked / "settings.json", Settings())
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_reset_writes_defaults(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(view="all"))
    reset_settings(path)
    assert load_settings(path) == (Settings(), None)


def _hammer(path, view, rounds):
    for _ in range(rounds):
        save_settings(path, Settings(view=view))


@pytest.mark.slow
def test_two_processes_saving_at_once_leave_a_valid_file(tmp_path):
    path = tmp_path / "settings.json"
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_hammer, args=(path, view, 150)) for view in ("all", "surplus")]
    for w in workers:
        w.start()
    seen = set()
    while any(w.is_alive() for w in workers):
        if path.exists():
            settings, notice = load_settings(path)
            assert notice is None, notice
            seen.add(settings.view)
    for w in workers:
        w.join()
        assert w.exitcode == 0
    settings, notice = load_settings(path)
    assert notice is None
    # whichever wrote last: never the default, nor anything else, however the writes interleaved
    assert seen | {settings.view} <= {"all", "surplus"}, seen
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_config_directory_that_cannot_be_created_raises_and_writes_nothing(tmp_path):
    # works even as root: the parent "directory" is a plain file
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(OSError):
        save_settings(blocker / "tradegap" / "settings.json", Settings())
    assert blocker.read_text() == "x"


def test_a_path_through_a_regular_file_gives_defaults_quietly(tmp_path):
    # a read-only or odd home: nothing can have been saved there; the app says once that nothing will be
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    assert load_settings(blocker / "tradegap" / "settings.json") == (Settings(), None)
