"""Dates as the portal shows them (2023年6月1日) are accepted back in every form, as well as ISO (2023-06-01, what a
date picker sends, and the first format, so a date input renders ISO). Django's own zh_Hans list spells the
Chinese form with strptime codes that do not parse it (%n, %j), hence this module (FORMAT_MODULE_PATH)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y年%m月%d日",
]
