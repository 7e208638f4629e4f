"""The workarounds of private Textual members are checked against the versions they were written for."""

from tui import compat


def test_the_installed_textual_is_the_one_the_workarounds_were_checked_against():
    # a new Textual: read each upstream issue in tui/compat.py, then adapt or drop the workaround
    assert compat.installed_versions() == compat.TESTED_WITH


def test_a_workaround_whose_private_member_is_gone_fails_loudly():
    class Bare:
        pass

    try:
        compat.require(Bare, "_set_size", compat.PLOT_SIZE_ISSUE)
    except compat.CompatError as error:
        assert "textual-plotext/issues/5" in str(error)
    else:
        raise AssertionError("no error")
