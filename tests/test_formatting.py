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


@pytest.mark.parametrize(
    ("millions", "signed", "expected"),
    [
        (999_960.0, False, "$1.00T"),      # not "$1,000.0B"
        (-999_950.0, True, "-$1.00T"),
        (999_940.0, False, "$999.9B"),
        (-999_949.9, True, "-$999.9B"),
    ],
)
def test_amounts_next_to_a_trillion_are_a_trillion(millions, signed, expected):
    assert money(millions, signed=signed) == expected


def test_percent_that_rounds_to_zero_has_no_sign():
    assert percent(-0.04) == "0.0%" and percent(-0.0) == "0.0%" and percent(0.049) == "0.0%"
    assert percent(-0.04, signed=True) == "0.0%" and percent(0.0, signed=True) == "0.0%"
    assert percent(-0.05) == "-0.1%"


def test_standing_of_a_balance():
    from tui.trade.formatting import standing

    assert standing(0.0) == "balanced" and standing(-0.04) == "balanced" and standing(0.049) == "balanced"
    assert standing(-0.05) == "deficit" and standing(12.0) == "surplus"
