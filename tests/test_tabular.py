"""The one check every import upload goes through (liuzhou_social.tabular.import_file_check)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from liuzhou_social.tabular import TableFormatError, import_file_check


def _xlsx(name="data.xlsx"):
    buf = io.BytesIO()
    Workbook().save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_a_workbook_passes_by_name_and_first_bytes():
    assert import_file_check(_xlsx()) == "xlsx"
    assert import_file_check(_xlsx("DATA.XLSX"), ("xlsx", "csv")) == "xlsx"


@pytest.mark.parametrize(
    "upload, kinds, message",
    [
        (SimpleUploadedFile("data.xlsx", b"not a zip"), ("xlsx",), "not a valid xlsx"),
        (SimpleUploadedFile("data.csv", b"code,name\n"), ("xlsx",), "Only Excel workbooks"),
        (SimpleUploadedFile("data.xls", b"\xd0\xcf\x11\xe0"), ("xlsx", "csv"), "Unsupported file type"),
    ],
)
def test_wrong_files_are_refused_with_the_reason(upload, kinds, message):
    with translation.override("en"), pytest.raises(TableFormatError, match=message):
        import_file_check(upload, kinds)


def test_csv_only_where_the_import_takes_it():
    assert import_file_check(SimpleUploadedFile("list.csv", b"code,name\n"), ("xlsx", "csv")) == "csv"


def test_size_limit_comes_from_the_settings(settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(TableFormatError):
        import_file_check(_xlsx())
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    assert import_file_check(_xlsx()) == "xlsx"
