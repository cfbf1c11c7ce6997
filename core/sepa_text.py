"""Text for SEPA payment files: the EPC's basic Latin character set.

A SEPA file may carry only a–z, A–Z, 0–9, space and / - ? : ( ) . , ' + unless the bank
agreed to more, and a bank may refuse the whole file for one other character. Names stay as
typed everywhere else ("Çelik", "Hof & Zn"); only the text written into a payment file is
converted, with the conversion of the EPC's "SEPA Requirements for an Extended Character Set
(UNICODE Subset) – Best Practices" (EPC217-08): letters with accents lose them (ç → c,
Ł → L, ß → ss), Greek and Cyrillic are transliterated, "&" becomes "+", a few signs become
their nearest allowed sign, and every other character becomes "." (the EPC's full stop).

`to_sepa_text` converts; `sepa_text_problems` checks finished text (the whole file) before
it is stored, so a character the table missed is caught here and never reaches the bank.
"""

import re
import unicodedata

ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "/-?:().,'+ ")
UNKNOWN = "."


def _pairs(sources: str, targets: list[str]) -> dict[str, str]:
    return dict(zip(sources, targets, strict=True))


# Signs of basic Latin (ASCII) outside the set, with the EPC's replacement.
_SIGNS = {"&": "+", '"': "'", "`": "'", "´": "'", "‘": "'", "’": "'", "‚": "'", "“": "'",
          "”": "'", "„": "'", ";": ",", "[": "(", "]": ")", "{": "(", "}": ")", "\\": "/",
          "|": "/", "_": "-", "~": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "¿": "?",
          "\u00a0": " ", "\u202f": " ", "\t": " ", "\n": " ", "\r": " "}

# Latin-1 Supplement and Latin Extended-A (the letters of European names).
_LATIN = {
    **_pairs("ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ",
             list("AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy")),
    "Æ": "AE", "æ": "ae", "ß": "ss", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th",
    **_pairs("ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİı",
             list("AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi")),
    "Ĳ": "IJ", "ĳ": "ij",
    **_pairs("ĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧ",
             ["J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", "l", "L", "l",
              "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o", "O", "o",
              "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", "S",
              "s", "T", "t", "T", "t", "T", "t"]),
    **_pairs("ŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſȘșȚț",
             list("UuUuUuUuUuUuWwYyYZzZzZzsSsTt")),
}

# Greek and Cyrillic, transliterated as the EPC table does.
_GREEK = {
    **_pairs("ΑΒΓΔΕΖΗΙΚΛΜΝΞΟΠΡΣΤΥΦΩ", list("AVGDEZIIKLMNXOPRSTYFO")),
    "Θ": "TH", "Χ": "CH", "Ψ": "PS",
    **_pairs("αβγδεζηικλμνξοπρσςτυφω", list("avgdeziiklmnxoprsstyfo")),
    "θ": "th", "χ": "ch", "ψ": "ps",
    **_pairs("ΆΈΉΊΌΎΏΪΫάέήίόύώϊϋΐΰ", list("AEIIOYOIYaeiioyoiyiy")),
}
_CYRILLIC = {
    **_pairs("АБВГДЕЗИЙКЛМНОПРСТУФХЪЬ", list("ABVGDEZIYKLMNOPRSTUFHAY")),
    "Ж": "ZH", "Ц": "TS", "Ч": "CH", "Ш": "SH", "Щ": "SHT", "Ю": "YU", "Я": "YA",
    **_pairs("абвгдезийклмнопрстуфхъь", list("abvgdeziyklmnoprstufhay")),
    "ж": "zh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ю": "yu", "я": "ya",
}

CONVERSION = {**_SIGNS, **_LATIN, **_GREEK, **_CYRILLIC}

_SPACES = re.compile(r" {2,}")


def to_sepa_text(text: str, max_length: int | None = None) -> str:
    """`text` in the SEPA basic Latin set: 'Çelik' → 'Celik', 'Hof & Zn' → 'Hof + Zn',
    'Łukasz Wąsowski' → 'Lukasz Wasowski', 'محمد' → '....'.

    Letters typed as a base letter and a combining accent are joined first (NFC); an accent
    left on its own is dropped. Runs of spaces become one; the result is cut to
    `max_length` characters (a name in a SEPA file holds 70)."""
    converted = []
    for char in unicodedata.normalize("NFC", text or ""):
        if char in ALLOWED:
            converted.append(char)
        elif char in CONVERSION:
            converted.append(CONVERSION[char])
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Cc"):
            continue  # an accent without its letter, an invisible mark: nothing to show
        else:
            converted.append(UNKNOWN)
    result = _SPACES.sub(" ", "".join(converted)).strip()
    return result[:max_length].rstrip() if max_length else result


def sepa_text_problems(texts) -> list[str]:
    """The characters outside the basic Latin set in `texts` (each once, in order)."""
    seen = []
    for text in texts:
        for char in text or "":
            if char not in ALLOWED and char not in seen:
                seen.append(char)
    return seen
