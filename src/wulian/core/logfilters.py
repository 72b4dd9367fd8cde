"""Logging filters. A refused request (401/403/404) is an everyday event — a stale link, a
person trying a page their role does not open, a scanner — not a fault: Django logs a 403 with
the exception's traceback (a load test wrote 602 of them in five minutes). It becomes one line
with the request id, which the person sees on the error page and the audit chain records."""

from __future__ import annotations

import logging

REFUSED = {401, 403, 404}


class RefusalsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) not in REFUSED:
            return True
        request = getattr(record, "request", None)
        line = record.getMessage()
        request_id = getattr(request, "request_id", "")
        if request_id:
            line += f" request_id={request_id}"
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            line += f" ({type(exc).__name__}{f': {exc}' if str(exc) else ''})"
        record.msg, record.args = " ".join(line.split()), ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
