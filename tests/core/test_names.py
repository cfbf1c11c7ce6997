"""Dutch names: "Jan de Vries" is written so, sorted under V, and split when typed whole."""

import pytest

from core.names import full_name, sort_name, split_surname


@pytest.mark.parametrize("typed, expected", [
    ("de Vries", ("de", "Vries")),
    ("van der Berg", ("van der", "Berg")),
    ("Van den Heuvel", ("Van den", "Heuvel")),
    ("van 't Hul", ("van 't", "Hul")),
    ("in 't  Veld", ("in 't", "Veld")),
    ("ter Horst", ("ter", "Horst")),
    ("Bakker", ("", "Bakker")),
    ("Bakker-de Vries", ("", "Bakker-de Vries")),
    ("Van", ("", "Van")),  # only a prefix word: a surname of its own
    ("Vandenberg", ("", "Vandenberg")),
    ("El Amrani", ("", "El Amrani")),  # not a Dutch tussenvoegsel: as typed
])
def test_a_surname_typed_in_one_box_is_split(typed, expected):
    assert split_surname(typed) == expected


def test_a_tussenvoegsel_given_apart_wins():
    assert split_surname("Vries", "de") == ("de", "Vries")
    assert split_surname(" de  Vries ", " van ") == ("van", "de Vries")


def test_written_and_sorted_forms():
    assert full_name("Jan", "de", "Vries") == "Jan de Vries"
    assert full_name("Jan", "", "Bakker") == "Jan Bakker"
    assert sort_name("Jan", "de", "Vries") == "Vries, Jan de"
    assert sort_name("Jan", "", "Bakker") == "Bakker, Jan"
    assert full_name("", "", "") == "" and sort_name("", "", "") == ""
