"""Reading an import file (CSV or XLSX) within limits, line by line.

Whole-file problems raise ImportFileRefused with a Dutch message; the cells of each line are
returned as read, for `cleaning.py` to judge per line.
"""


class ImportFileRefused(Exception):  # noqa: N818  (the contract's name)
    """The whole file cannot be used; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
