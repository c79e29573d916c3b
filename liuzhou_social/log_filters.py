"""Log filters: a refused request (4xx) is one line, not a traceback."""

import logging


class OneLineClientErrors(logging.Filter):
    """Drop the traceback from ``django.request``'s records of 4xx answers (a 403 or 404 is an expected
    outcome, logged as "Forbidden (Permission denied): /path"); server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
