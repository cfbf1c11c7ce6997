"""A secret key of this installation's own when none is given in the environment.

A constant development key would let anyone forge signed tokens (unsubscribe links, signed
cookies) on a staging or demo server. Instead each installation makes one random key once and
keeps it in its var dir, readable only by its owner, so web, worker and beat (and restarts)
share it. Production never gets here: it refuses to start without SECRET_KEY (settings.py).
"""

import os
import secrets
import stat
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret_key"


def installation_secret_key(var_dir: Path) -> str:
    """The key in `var_dir/secret_key`, made on first use (mode 0600).

    Written to a fresh temporary file of its own (`mkstemp`: a random name, created
    exclusively, mode 0600) and then linked into place, so web, worker and beat starting at
    the same moment, even in containers sharing the var dir where each runs as pid 1, never
    touch each other's draft and all read the same complete key: the first link wins, the
    others find it.
    """
    path = Path(var_dir) / FILE_NAME
    if not path.exists():
        _write_once(path)
    _refuse_if_others_can_read(path)
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key: delete it to make a new one.")
    return key


def _write_once(path: Path) -> None:
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE_NAME}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
            handle.flush()
            os.fsync(handle.fileno())
        os.link(draft, path)
    except FileExistsError:
        pass  # another process of this installation made it first
    finally:
        os.unlink(draft)


def _refuse_if_others_can_read(path: Path) -> None:
    """A key file that group or others could read may already be known to them: refuse
    rather than quietly tighten it, because only the operator can tell whether it leaked
    (then a new key is needed, which signs out everyone and ends outstanding links)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} has mode {mode:04o}, so other users may have read the secret key. "
            f"If it may have leaked, delete the file (a new key is made; sessions and "
            f"signed links end). If nobody else could read it, run: chmod 600 {path}")
