"""docs/api.md's table of error codes is the enum's: every code described, the document current."""

import pytest
from django.core.management import CommandError, call_command

from apps.core import error_docs
from apps.core.errors import ErrorCode


def test_every_error_code_is_described():
    assert error_docs.missing_codes() == []
    assert set(error_docs.ERROR_CODE_DOCS) == set(ErrorCode)


def test_the_api_document_holds_the_generated_table():
    document = error_docs.api_doc_path().read_text(encoding="utf-8")
    assert error_docs.with_table(document) == document
    for code in ErrorCode:
        assert f"| `{code.value}` |" in document


def test_the_check_fails_on_a_stale_document(tmp_path, monkeypatch):
    stale = tmp_path / "api.md"
    stale.write_text(f"# API\n{error_docs.DOC_START}\n| old |\n{error_docs.DOC_END}\n", encoding="utf-8")
    monkeypatch.setattr(error_docs, "api_doc_path", lambda: stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("document_error_codes", "--check")
    call_command("document_error_codes")
    assert error_docs.render_error_code_table() in stale.read_text(encoding="utf-8")
    call_command("document_error_codes", "--check")
