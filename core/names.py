"""Dutch personal names: a surname with a tussenvoegsel ("de", "van der", "in 't").

A Dutch list sorts "Jan de Vries" under V: the tussenvoegsel is kept apart from the
achternaam, written before it in a name ("Jan de Vries") and after the first name in a
sorted list ("Vries, Jan de"). One place builds both, so pages, letters and exports agree.
"""

# The common tussenvoegsels of Dutch surnames (lower case), longest first so "van der" wins
# from "van". Enough to split a surname typed in one box; the forms also ask for it apart.
# Particles of other languages ("El Amrani", "da Silva") are left as typed: whether they
# count as a tussenvoegsel differs per name, so the person fills that box themselves.
SURNAME_PREFIXES = sorted({
    "van", "de", "der", "den", "het", "ten", "ter", "te", "van de", "van der", "van den",
    "van het", "van 't", "in de", "in den", "in het", "in 't", "op de", "op den", "op het",
    "op 't", "uit de", "uit den", "uit het", "'t", "von", "bij de", "aan de", "aan den",
    "onder de", "over de", "voor de",
}, key=len, reverse=True)


def full_name(first_name: str, surname_prefix: str, last_name: str) -> str:
    """"Jan de Vries": how a name is written on a page, in a letter or an export."""
    return " ".join(part for part in (first_name.strip(), surname_prefix.strip(),
                                      last_name.strip()) if part)


def sort_name(first_name: str, surname_prefix: str, last_name: str) -> str:
    """"Vries, Jan de": how a name is written in a list sorted by achternaam."""
    given = " ".join(part for part in (first_name.strip(), surname_prefix.strip()) if part)
    return ", ".join(part for part in (last_name.strip(), given) if part)


def split_surname(surname: str, prefix: str = "") -> tuple[str, str]:
    """(tussenvoegsel, achternaam) of a surname someone typed in one box ("de Vries").

    A tussenvoegsel given apart wins; a surname that is only a prefix word ("Van") stays
    as typed. Capitals are kept as typed.
    """
    surname = " ".join(surname.split())
    prefix = " ".join(prefix.split())
    if prefix:
        return prefix, surname
    lowered = surname.lower()
    for candidate in SURNAME_PREFIXES:
        if lowered.startswith(candidate + " ") and len(surname) > len(candidate) + 1:
            return surname[:len(candidate)], surname[len(candidate) + 1:]
    return "", surname
