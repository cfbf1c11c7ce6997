"""Places where apps above add to the registrations' own pages, without being imported.

The back office's caregiver page shows, say, insight's follow-up section; Mijn gegevens
offers insight's self-check when it is due. Such an app registers a function
`caregiver -> dict` in its `ready()`; the page merges the dicts into its template context.
"""

_caregiver_page: list = []
_my_data_page: list = []


def add_to_caregiver_page(extra) -> None:
    """`extra(caregiver) -> dict` for templates/registrations/backoffice/caregivers/detail.html."""
    if extra not in _caregiver_page:
        _caregiver_page.append(extra)


def add_to_my_data_page(extra) -> None:
    """`extra(caregiver) -> dict` for the Mijn gegevens overview."""
    if extra not in _my_data_page:
        _my_data_page.append(extra)


def caregiver_page_context(caregiver) -> dict:
    return _merged(_caregiver_page, caregiver)


def my_data_page_context(caregiver) -> dict:
    return _merged(_my_data_page, caregiver)


def _merged(extras, caregiver) -> dict:
    context: dict = {}
    for extra in extras:
        context.update(extra(caregiver))
    return context
