"""Reading the local outbox that Django's file-based e-mail backend writes (make run)."""

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path


@dataclass
class OutboxMessage:
    name: str
    subject: str
    to: str
    date: str
    body: str


def read_outbox(folder: Path) -> list[OutboxMessage]:
    """Newest first. Each file may hold several messages separated by a line of dashes."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        # Bytes, not text: parsed from a str, an 8-bit body decodes € to a \u escape.
        chunks = path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")
        for index, chunk in enumerate(chunk for chunk in chunks if chunk.strip()):
            message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
            part = message.get_body(preferencelist=("plain",)) if message.is_multipart() \
                else message
            found.append(OutboxMessage(
                name=f"{path.name}:{index}", subject=str(message["Subject"] or ""),
                to=str(message["To"] or ""), date=str(message["Date"] or ""),
                body=part.get_content() if part is not None else ""))
    return found
