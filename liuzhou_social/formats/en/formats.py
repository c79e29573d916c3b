"""The English pages accept ISO dates first (what a date picker sends), the Chinese form (2023年6月1日: dates copied
from a Chinese page or spreadsheet) and Django's English forms."""

from django.conf.locale.en.formats import *  # noqa: F403
from django.conf.locale.en.formats import DATE_INPUT_FORMATS as _EN_DATES
from django.conf.locale.en.formats import DATETIME_INPUT_FORMATS as _EN_DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y年%m月%d日", *[f for f in _EN_DATES if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    *[f for f in _EN_DATETIMES if f != "%Y-%m-%d %H:%M:%S"],
]
