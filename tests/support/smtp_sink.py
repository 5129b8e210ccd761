"""A real SMTP server for the test suite (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT FILE. Accepts mail on 127.0.0.1:PORT, refuses (550) every recipient
whose address starts with "refused", and appends each message it accepts, decoded, as one
JSON line to FILE. Prints "ready" once listening; runs until its standard input closes.
"""
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        plain = message.get_body(preferencelist=("plain",))
        record = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "content_language": message.get("content-language"),
            "text": plain.get_content() if plain is not None else None,
            "parts": [part.get_content_type() for part in message.walk()],
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
