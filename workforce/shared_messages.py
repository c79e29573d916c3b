"""Messages of the shared table, validator and view modules that workforce pages and the roster import show.

Listed here so that the workforce catalogue carries their Chinese text; nothing imports this module.
"""

from django.utils.translation import gettext_noop

SHARED_MESSAGES = [
    gettext_noop("sheet %(sheet)s, row %(row)s"),
    gettext_noop("row %(row)s"),
    gettext_noop("%(where)s, column “%(column)s”, value “%(value)s”: %(message)s"),
    gettext_noop("The file is not a valid xlsx workbook (it may be corrupt)."),
    gettext_noop("Unsupported file type: upload an .xlsx workbook or a .csv file."),
    gettext_noop("An ID number has 17 digits followed by a digit or X (18 characters)."),
    gettext_noop("The birth date inside the ID number is not a valid date."),
    gettext_noop("The ID number's check character is wrong (GB 11643); please check the number."),
    gettext_noop("A unified social credit code has 18 characters (digits and capital letters except I, O, S, V, Z)."),
    gettext_noop("The credit code's check character is wrong (GB 32100); please check the code."),
    gettext_noop("Enter an 11-digit mobile number or a landline with its area code."),
    gettext_noop("Saved."),
    gettext_noop("The result would lie outside the places you may change; nothing was saved."),
]
