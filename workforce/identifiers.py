"""Well-formed identifiers for demo and benchmark data: GB 11643 ID numbers, GB 32100 credit codes."""

import datetime

from liuzhou_social.validators import credit_code_check_char, id_number_check_char


def make_id_number(region: str, birth: datetime.date, seq: int, male: bool) -> str:
    """An 18-character resident ID: region (6), birth date (8), sequence (3, odd for men), check character."""
    body = f"{region[:6]}{birth:%Y%m%d}{(seq % 500) * 2 + (1 if male else 0):03d}"
    return body + id_number_check_char(body)


def make_credit_code(region: str, seq: int) -> str:
    """An 18-character unified social credit code of a civil-affairs registered social organisation (52...)."""
    body = f"52{region[:6]}MJ{seq:07d}"
    return body + credit_code_check_char(body)
