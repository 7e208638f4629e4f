import math

import pytest

from tui.trade.formatting import billions, money, percent


@pytest.mark.parametrize(
    ("millions", "signed", "expected"),
    [
        (-295_400.0, True, "-$295.4B"),
        (12_100.0, True, "+$12.1B"),
        (438_900.0, False, "$438.9B"),
        (512.34, False, "$512.3M"),
        (-0.6, True, "-$0.6M"),
        (0.01, True, "$0"),
        (-1_202_330.0, True, "-$1.20T"),
        (999.96, False, "$1.0B"),
        (1_234_567.0, False, "$1.23T"),
    ],
)
def test_money_reads_like_a_person_writes_it(millions, signed, expected):
    assert money(millions, signed=signed) == expected


def test_money_and_percent_say_na_for_missing_values():
    assert money(None) == "n/a"
    assert money(math.nan, signed=True) == "n/a"
    assert percent(math.nan) == "n/a"


def test_percent():
    assert percent(24.66) == "24.7%"
    assert percent(3.14, signed=True) == "+3.1%"
    assert percent(-3.14, signed=True) == "-3.1%"


def test_billions():
    assert billions(-297_047.7) == pytest.approx(-297.0477)
