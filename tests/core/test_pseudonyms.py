"""The BSN's elfproef and its keyed pseudonym."""

import pytest

from core.pseudonyms import bsn_pseudonym, is_valid_bsn


@pytest.mark.parametrize("bsn", ["999990019", "999990020", "999990044", "999990056"])
def test_the_demo_numbers_pass_the_elfproef(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize("bsn", ["999990018", "99999001", "9999900190", "00000000a",
                                 "000000000", "", None, 999990019, "９９９９９００１９"])
def test_anything_else_is_not_a_bsn(bsn):
    assert not is_valid_bsn(bsn)


def test_the_pseudonym_is_stable_keyed_and_hides_the_number():
    one = bsn_pseudonym("999990019", "key-one")
    assert one == bsn_pseudonym("999990019", "key-one")
    assert one != bsn_pseudonym("999990019", "key-two")
    assert one != bsn_pseudonym("999990020", "key-one")
    assert "999990019" not in one and len(one) == 64
    with pytest.raises(ValueError):
        bsn_pseudonym("999990019", "")
