"""One message made once and sent to many: a newsletter chunk's messages differ only in the
address, the unsubscribe link and the Message-ID.

Making every message with Django's EmailMessage cost the sending worker about a third of its
time (`make bench-newsletter`, cProfile: header folding, a regex compiled for every MIME
boundary, address checks), more than the SMTP conversation itself. So a chunk makes the
message once, for a placeholder address and link, and sends copies with those replaced.
Where a copy could differ from what Django would make (a part encoded so that the
placeholders no longer appear as written, an address or link that is not plain ASCII) the
caller makes that message the ordinary way instead: `BulkMessage.make` returns None, or
`fits` says no.
"""

import re

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

from .mail import message_id as new_message_id

PLACEHOLDER_ADDRESS = "ontvanger@plaatshouder.invalid"
PLACEHOLDER_LINK = "https://plaatshouder.invalid/afmelden-link/"
MESSAGE_ID = re.compile(rb"^Message-ID: [^\r\n]*\r\n", re.M | re.I)
UNSAFE_IN_ADDRESS = re.compile(r"[\s<>,;:\"'()\[\]\\]")
UNSAFE_IN_LINK = re.compile(r"[\s<>\"'\\]")


class BulkMessage:
    """The bytes of one message with placeholders, and how to send a copy of it."""

    def __init__(self, data: bytes, sender: str):
        self.data, self.sender = data, sender

    @classmethod
    def make(cls, message, connection) -> "BulkMessage | None":
        """From a message made for PLACEHOLDER_ADDRESS with PLACEHOLDER_LINK; None when
        copies cannot be made safely (not SMTP, or the placeholders did not survive)."""
        if not isinstance(connection, SMTPBackend) or message.to != [PLACEHOLDER_ADDRESS]:
            return None
        data = message.message().as_bytes(linesep="\r\n")
        if b"quoted-printable" in data.lower():
            return None  # a line too long for 8bit: a longer link would need re-encoding
        # Each placeholder must appear as often as it was written: then none was encoded
        # (quoted-printable, base64) or folded away, and replacing them is exact.
        written = (message.body + "".join(content for content, _ in message.alternatives)
                   + "".join(str(value) for value in message.extra_headers.values()))
        if (data.count(PLACEHOLDER_LINK.encode()) != written.count(PLACEHOLDER_LINK)
                or data.count(PLACEHOLDER_ADDRESS.encode())
                != 1 + written.count(PLACEHOLDER_ADDRESS)
                or len(MESSAGE_ID.findall(data)) < 1):
            return None
        encoding = message.encoding or settings.DEFAULT_CHARSET
        return cls(data, sanitize_address(message.from_email, encoding))

    @staticmethod
    def fits(address: str, link: str) -> bool:
        """A copy is exactly what Django would make only for plain ASCII values."""
        return (address.isascii() and link.isascii() and "@" in address
                and not UNSAFE_IN_ADDRESS.search(address) and not UNSAFE_IN_LINK.search(link))

    def copy_for(self, address: str, link: str) -> bytes:
        data = (self.data.replace(PLACEHOLDER_LINK.encode(), link.encode())
                .replace(PLACEHOLDER_ADDRESS.encode(), address.encode()))
        message_id = f"Message-ID: {new_message_id()}\r\n".encode()
        return MESSAGE_ID.sub(lambda _: message_id, data, count=1)

    def send(self, connection: SMTPBackend, address: str, link: str) -> None:
        """Over the chunk's open SMTP connection; SMTP errors are raised as Django's
        backend raises them."""
        if connection.connection is None:
            connection.open()
        connection.connection.sendmail(self.sender, [address], self.copy_for(address, link))
