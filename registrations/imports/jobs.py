"""The import's two background jobs: the dry run and the write (called by tasks.py)."""


def check_import(import_id: int) -> None:
    """The dry run (task `registrations.check_import`)."""
    raise NotImplementedError


def run_import(import_id: int) -> None:
    """The write (task `registrations.run_import`)."""
    raise NotImplementedError
