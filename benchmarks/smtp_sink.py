"""A local SMTP sink for benchmarks and fault tests: accepts everything, counts messages per
recipient, and writes the counts as JSON to the file given when it is stopped (SIGTERM)."""

import asyncio
import json
import signal
import sys
from collections import Counter

from aiosmtpd.controller import Controller


class CountingSink:
    def __init__(self):
        self.per_recipient = Counter()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.per_recipient[address] += 1
        return "250 OK"


def main() -> None:
    port, out = int(sys.argv[1]), sys.argv[2]
    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()
    with open(out, "w") as handle:
        json.dump(handler.per_recipient, handle)


if __name__ == "__main__":
    main()
