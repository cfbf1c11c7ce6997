"""The installation's own secret key file (issue 14 item 15, second review): made without
touching anyone else's draft, and never used when other users could read it."""

import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from mantelzorg.secret_key import installation_secret_key


def test_a_draft_of_another_container_with_the_same_pid_is_left_alone(tmp_path):
    """Two containers sharing the var dir both run as pid 1: a draft named by pid, opened
    with O_TRUNC, was truncated (and deleted) by the other one while it was being written."""
    others_draft = tmp_path / f".secret_key.{os.getpid()}.tmp"
    others_draft.write_text("half a key of the other container")
    key = installation_secret_key(tmp_path)
    assert others_draft.read_text() == "half a key of the other container"
    assert key != "half a key of the other container" and len(key) >= 50
    assert sorted(path.name for path in tmp_path.iterdir()) == [others_draft.name, "secret_key"]
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert installation_secret_key(tmp_path) == key


def test_a_key_file_others_can_read_is_refused(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 60)
    for mode in (0o644, 0o640, 0o604, 0o666):
        key_file.chmod(mode)
        with pytest.raises(ImproperlyConfigured, match=f"mode {mode:04o}.*chmod 600"):
            installation_secret_key(tmp_path)
    for mode in (0o600, 0o400):
        key_file.chmod(mode)
        assert installation_secret_key(tmp_path) == "k" * 60


def test_a_new_key_file_is_private_whatever_the_umask(tmp_path):
    previous = os.umask(0o000)
    try:
        key = installation_secret_key(tmp_path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert (tmp_path / "secret_key").read_text() == key
