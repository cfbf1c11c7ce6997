"""A secret key of this installation's own when none is given in the environment.

A constant development key would let anyone forge signed tokens (unsubscribe links, signed
cookies) on a staging or demo server. Instead each installation makes one random key once and
keeps it in its var dir, readable only by its owner, so web, worker and beat (and restarts)
share it. Production never gets here: it refuses to start without SECRET_KEY (settings.py).
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret_key"


def installation_secret_key(var_dir: Path) -> str:
    """The key in `var_dir/secret_key`, made on first use (mode 0600).

    Written to a temporary file and then linked into place, so web, worker and beat starting
    at the same moment all read the same complete key: the first link wins, the others find it.
    """
    path = Path(var_dir) / FILE_NAME
    if not path.exists():
        draft = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(64))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process of this installation made it first
        finally:
            draft.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key: delete it to make a new one.")
    return key
