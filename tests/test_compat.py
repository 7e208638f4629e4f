"""The workarounds of private Textual members are checked against the versions they were written for."""

import os

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


# ---------------------------------------------------------------- numpy's sort on AMD Zen 4

ZEN4 = """processor\t: 0
vendor_id\t: AuthenticAMD
cpu family\t: 25
model\t\t: 17
flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512bw avx512vl

processor\t: 1
vendor_id\t: GenuineIntel
"""
ZEN3 = ZEN4.replace(" avx512f avx512dq avx512bw avx512vl", "")  # family 25 too, without AVX-512
ZEN5 = ZEN4.replace("cpu family\t: 25", "cpu family\t: 26")
INTEL = ZEN4.replace("AuthenticAMD", "GenuineIntel").replace("cpu family\t: 25", "cpu family\t: 6")
WHEEL = ((2, 4), "cp311-cp311-manylinux_2_27_x86_64 cp311-cp311-manylinux_2_28_x86_64")


def test_on_zen4_numpy_is_told_to_sort_with_its_avx2_code_and_nowhere_else():
    assert compat.numpy_features_to_disable(ZEN4, WHEEL, {}) == compat.NUMPY_AVX512_FEATURES
    for cpu in (ZEN3, ZEN5, INTEL, ""):
        assert compat.numpy_features_to_disable(cpu, WHEEL, {}) is None


def test_a_user_s_own_numpy_features_an_older_numpy_or_a_wheel_of_unknown_build_leave_numpy_be():
    for variable in compat.NUMPY_FEATURE_VARIABLES:
        assert compat.numpy_features_to_disable(ZEN4, WHEEL, {variable: ""}) is None
    assert compat.numpy_features_to_disable(ZEN4, ((2, 3), WHEEL[1]), {}) is None  # other names before 2.4
    assert compat.numpy_features_to_disable(ZEN4, ((2, 5), WHEEL[1]), {}) is None  # not checked yet
    assert compat.numpy_features_to_disable(ZEN4, ((2, 4), "cp311-cp311-win_amd64"), {}) is None
    # built on the machine (pip install --no-binary): its baseline may include AVX-512
    assert compat.numpy_features_to_disable(ZEN4, ((2, 4), "cp311-cp311-linux_x86_64"), {}) is None
    assert compat.numpy_features_to_disable(ZEN4, ((2, 4), "cp312-cp312-musllinux_1_2_x86_64"), {}) is not None
    assert compat.numpy_features_to_disable(ZEN4, None, {}) is None


def test_the_choice_is_written_for_numpy_only_before_it_is_imported(tmp_path, monkeypatch):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(ZEN4)
    monkeypatch.setattr(compat, "installed_numpy_wheel", lambda: WHEEL)
    monkeypatch.setattr(compat.sys, "platform", "linux")
    environ: dict[str, str] = {}
    assert compat.numpy_sort_choice(environ, str(cpuinfo)) == compat.NUMPY_AVX512_FEATURES
    monkeypatch.setitem(compat.sys.modules, "numpy", compat)  # numpy imported: too late, nothing is written
    assert not compat.prefer_numpy_avx2_sort(environ, str(cpuinfo)) and environ == {}
    monkeypatch.delitem(compat.sys.modules, "numpy")
    assert compat.prefer_numpy_avx2_sort(environ, str(cpuinfo))
    assert environ == {"NPY_DISABLE_CPU_FEATURES": compat.NUMPY_AVX512_FEATURES}
    environ = {"NPY_DISABLE_CPU_FEATURES": ""}  # the user's own, even empty
    assert not compat.prefer_numpy_avx2_sort(environ, str(cpuinfo)) and environ == {"NPY_DISABLE_CPU_FEATURES": ""}
    assert compat.numpy_sort_choice(environ, str(tmp_path / "missing")) is None
    monkeypatch.setattr(compat.sys, "platform", "darwin")
    assert compat.numpy_sort_choice(environ, str(cpuinfo)) is None


def test_the_installed_numpy_is_found_without_importing_it_and_takes_the_names_chosen():
    """In a fresh interpreter: the wheel is read without importing numpy, and numpy accepts the names (an
    unknown one is an ImportWarning, made an error here; one of its baseline would be a RuntimeError)."""
    import subprocess
    import sys

    script = (
        "import contextlib, io, os, sys\n"
        "from tui import compat\n"
        "version = compat.installed_numpy_wheel()[0]\n"
        "assert 'numpy' not in sys.modules\n"
        "first, last = compat.NUMPY_NAMES_CHECKED\n"
        "print(first <= version < last)\n"
        "os.environ['NPY_DISABLE_CPU_FEATURES'] = compat.NUMPY_AVX512_FEATURES\n"
        "import numpy\n"
        "shown = io.StringIO()\n"
        "with contextlib.redirect_stdout(shown):\n"
        "    numpy.show_runtime()\n"
        "print(shown.getvalue().split('not_found')[-1].split(']')[0].count('X86_V4'))\n"
    )
    done = subprocess.run([sys.executable, "-W", "error::ImportWarning", "-c", script], capture_output=True,
                          text=True, env={k: v for k, v in os.environ.items() if not k.startswith("NPY_")})
    printed = done.stdout.split()
    if printed[:1] == ["False"]:  # another numpy: the choice is not made with it (numpy_features_to_disable)
        return
    disabled = printed[1] if len(printed) > 1 else None
    assert done.returncode == 0, done.stderr  # numpy takes the names
    assert disabled == "1"  # and runs without its AVX-512 code


def test_the_command_line_makes_the_choice_before_numpy_is_imported():
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "from tui import cli, compat\n"
        "compat.numpy_sort_choice = lambda environ, cpuinfo_path='': compat.NUMPY_AVX512_FEATURES  # as on Zen 4\n"
        "code = cli.main(['show', 'vietnam', '--year', '2024'])\n"
        "print(code, 'numpy' in sys.modules, os.environ.get('NPY_DISABLE_CPU_FEATURES'), file=sys.stderr)\n"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("NPY_")}
    done = subprocess.run([sys.executable, "-W", "error::ImportWarning", "-c", script], capture_output=True,
                          text=True, env=environ)
    assert "Vietnam" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == f"0 True {compat.NUMPY_AVX512_FEATURES}"
