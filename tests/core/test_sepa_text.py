"""Text for SEPA files: the EPC conversion to the basic Latin set, and the check that
catches any character the conversion missed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.sepa_text import ALLOWED, sepa_text_problems, to_sepa_text
from tests.security.hostile import EXAMPLES


@pytest.mark.parametrize("typed, converted", [
    ("Çelik", "Celik"),
    ("Hof & Zn", "Hof + Zn"),
    # Turkish
    ("Şükrü Yılmaz", "Sukru Yilmaz"), ("İsmail Öztürk", "Ismail Ozturk"),
    ("Ayşe Güneş-Doğan", "Ayse Gunes-Dogan"),
    # Polish
    ("Łukasz Wąsowski", "Lukasz Wasowski"), ("Zażółć gęślą jaźń", "Zazolc gesla jazn"),
    # Dutch, French, German, Scandinavian
    ("Anneke van 't Hoff", "Anneke van 't Hoff"), ("Françoise Noël", "Francoise Noel"),
    ("Jürgen Straße", "Jurgen Strasse"), ("Søren Ærø", "Soren AEro"),
    # Greek and Cyrillic are transliterated
    ("Ελένη", "Eleni"), ("Жанна Иванова", "ZHanna Ivanova"),
    # Arabic letters are not in the table: each becomes a full stop
    ("محمد", "...."), ("Ahmed محمد", "Ahmed ...."),
    # signs: the EPC's nearest allowed sign, or a full stop
    ("a@b.nl", "a.b.nl"), ('"Riet"', "'Riet'"), ("Bakker; Riet", "Bakker, Riet"),
    ("T_Bakker [2]", "T-Bakker (2)"), ("50% €", "50. ."),
    # an accent typed as its own character joins its letter; alone it is dropped
    ("Rene\u0301", "Rene"), ("\u0301x", "x"), ("a\u200bb", "ab"),
    ("Hof  &\tZn ", "Hof + Zn"),
])
def test_names_are_converted_with_the_epc_table(typed, converted):
    assert to_sepa_text(typed) == converted


def test_a_name_is_cut_to_the_length_the_file_allows():
    assert to_sepa_text("Ç" * 100, 70) == "C" * 70
    assert to_sepa_text("Jan " + "x" * 66 + " y", 71).endswith("x")


def test_the_check_names_each_character_outside_the_set_once():
    assert sepa_text_problems(["Hof & Zn", "Çelik & co", "ok"]) == ["&", "Ç"]
    assert sepa_text_problems(["Hof + Zn", "Celik"]) == []


@EXAMPLES
@given(text=st.text(max_size=80))
def test_any_text_converts_to_the_basic_latin_set(text):
    converted = to_sepa_text(text, 70)
    assert set(converted) <= ALLOWED and len(converted) <= 70
    assert sepa_text_problems([converted]) == []


@EXAMPLES
@given(text=st.text(alphabet=sorted(ALLOWED - {" "}), max_size=40))
def test_text_already_in_the_set_stays_as_it_is(text):
    assert to_sepa_text(text) == text
