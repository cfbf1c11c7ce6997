"""Link tokens and confirmation codes never reach the logs.

Sign-in, confirmation, consent and unsubscribe links carry a secret token in their path
(/mijn-gegevens/link/<token>); the waardering's confirmation link carries its code in the
query string (/waardering/bevestigen?code=<code>). Whoever reads a log line with a live token
or code could use it, so gunicorn's access and error logs and Django's request log (a 404
logs its path) write `[token]` and `code=[code]` instead. Kept free of Django imports:
gunicorn's master process loads it before Django.
"""

import logging
import re

from gunicorn.glogging import Logger

TOKEN_PATH = re.compile(r"(/(?:mijn-gegevens/link|bevestigen|toestemming|afmelden)/)[^/?#\s\"]+")
REDACTED = r"\1[token]"
# `code=` as a query parameter: after ? or & in a URL, or at the start of gunicorn's bare
# query-string atom (`%(q)s`, without the ?).
CODE_PARAM = re.compile(r"((?:^|[?&;])code=)[^&;#\s\"]*", re.IGNORECASE)
REDACTED_CODE = r"\1[code]"


def redact(text: str) -> str:
    return CODE_PARAM.sub(REDACTED_CODE, TOKEN_PATH.sub(REDACTED, text))


class RedactTokens(logging.Filter):
    """For Django's loggers: rewrites the message and its string arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True


class AccessLogger(Logger):
    """gunicorn's logger (`--logger-class`): the paths of the access log redacted, and its
    error log ("Error handling request /mijn-gegevens/link/…") filtered the same way."""

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(RedactTokens())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()}
