"""schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

The CSV imports (`POST /workers/import`, `POST /payslips/import`) take a `text/csv` body,
which schemathesis cannot send by itself: the generated string is sent as the file.
"""

import schemathesis


@schemathesis.serializer("text/csv")
class CsvSerializer:
    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        return {"data": str(value).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)
