import pytest

from tui.trade import UnknownGroup, UnknownPartner, find_group, find_partner, normalize


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("south korea", "5800"),
        ("South Korea", "5800"),
        ("KOR", "5800"),
        ("kr", "5800"),
        ("5800", "5800"),
        ("Korea", "5800"),
        ("korea, south", "5800"),
        ("UK", "4120"),
        ("united kingdom", "4120"),
        ("GBR", "4120"),
        ("Holland", "4210"),
        ("UAE", "5200"),
        ("Czech Republic", "4351"),
        ("czechia", "4351"),
        ("vietnam", "5520"),
        ("Viet Nam", "5520"),
        ("VIETNAM", "5520"),
        ("Côte d'Ivoire", "7480"),
        ("cote divoire", "7480"),
        ("Ivory Coast", "7480"),
        ("Türkiye", "4890"),
        ("méxico", "2010"),
        ("mexico", "2010"),
        ("CN", "5700"),
        ("chn", "5700"),
        ("  china  ", "5700"),
        ("viet", "5520"),  # a unique prefix
    ],
)
def test_partner_lookup_accepts_names_aliases_and_codes(dataset, query, code):
    assert find_partner(dataset, query) == code


def test_merged_census_codes_find_the_partner(dataset):
    serbia = find_partner(dataset, "serbia")
    assert find_partner(dataset, "4802") == serbia


def test_unknown_partner_suggests_close_names(dataset):
    with pytest.raises(UnknownPartner) as error:
        find_partner(dataset, "Vietnm")
    assert str(error.value) == "no partner 'Vietnm' — did you mean Vietnam?"
    assert error.value.suggestions[0] == "Vietnam"


def test_ambiguous_prefix_is_not_a_match_but_suggests(dataset):
    with pytest.raises(UnknownPartner) as error:
        find_partner(dataset, "united")
    assert any("United" in s for s in error.value.suggestions)


@pytest.mark.parametrize("query", ["", "   ", "zzzzqqq", "Atlantis"])
def test_nonsense_has_no_match(dataset, query):
    with pytest.raises(UnknownPartner):
        find_partner(dataset, query)


def test_groups_are_not_partners(dataset):
    with pytest.raises(UnknownPartner):
        find_partner(dataset, "Advanced Technology Products")


@pytest.mark.parametrize(
    ("query", "code"),
    [("asean", "ASEAN"), ("ASEAN", "ASEAN"), ("eu", "0003"), ("European Union", "0003"), ("eu27", "EU27"),
     ("opec", "OPEC"), ("g7", "G7"), ("brics", "BRICS"), ("mercosur", "MERCOSUR"), ("gcc", "GCC"), ("usmca", "USMCA"),
     ("0003", "0003")],
)
def test_group_lookup(dataset, query, code):
    assert find_group(dataset, query) == code


def test_unknown_group_suggests(dataset):
    with pytest.raises(UnknownGroup) as error:
        find_group(dataset, "asaen")
    assert "ASEAN" in str(error.value)


def test_normalize():
    assert normalize("Côte d'Ivoire") == "cote divoire"
    assert normalize("  Korea,  South ") == "korea south"
    assert normalize("Trinidad & Tobago") == "trinidad and tobago"


@pytest.mark.parametrize("query", ["world", "World total", "US total", "USA", "U.S.", "United States of America",
                                   "total", "all partners"])
def test_the_us_total_is_not_taken_for_a_partner_that_has_world_in_its_name(dataset, query):
    # Census's 'World total less the partners itemized' (1987-1991) is a partner a prefix of 'world' would find
    with pytest.raises(UnknownPartner, match="names the United States' trade with the world, not a partner"):
        find_partner(dataset, query)


def test_the_partners_not_itemized_are_still_found_by_their_own_names(dataset):
    assert find_partner(dataset, "other partners not itemized") == find_partner(dataset, "OTHER") == "OTHER"


def test_the_command_line_says_where_the_us_total_is(capsys):
    from tui.cli import main

    for argv in (["show", "world"], ["months", "usa"], ["compare", "china", "world"], ["sectors", "-p", "world"]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "`tradegap top` ranks every partner" in err, argv
