"""Phone numbers through the phonenumbers library: stored as the forms stored them before,
but "+31 (0)6 …" is now understood (it used to become "+310612345678")."""

import pytest
from django.core.exceptions import ValidationError

from core.phones import normalise_phone


@pytest.mark.parametrize("typed, stored", [
    ("+31 (0)6 12345678", "0612345678"),
    ("+31 (0)6-1234 5678", "0612345678"),
    ("+310612345678", "0612345678"),
    ("+31612345678", "0612345678"),
    ("0031 6 12345678", "0612345678"),
    ("06-12345678", "0612345678"),
    ("(0341) 12 34 56", "0341123456"),
    ("085-1234567", "0851234567"),
    ("06-9876 5432", "0698765432"),  # not in the library's ranges, but 10 digits as before
    ("+32 470 12 34 56", "+32470123456"),
    ("0049 30 1234567", "+49301234567"),
    ("", ""),
    ("   ", ""),
])
def test_numbers_are_stored_as_people_here_write_them(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["06 1234", "abc", "0612345678901234567890123456789",
                                   "+31 (0)6 1234567890", "0'; DROP TABLE x; --"])
def test_what_is_no_phone_number_gets_a_dutch_message(typed):
    with pytest.raises(ValidationError) as caught:
        normalise_phone(typed)
    assert caught.value.messages == [
        "Vul een telefoonnummer in van 10 cijfers, zoals 0612345678."]
