"""Reports through the local stack: a program downloads its assessment as a PDF and a CSV
through the presigned links the API gives (straight from storage, moto's S3 on loopback), and
another affiliate's staff get nothing."""

from __future__ import annotations

import csv
import io

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import requests

from tests.e2e.conftest import Session
from tests.e2e.journeys import program_with_staff, submitted_cycle

NE_STAFF = "staff@mentor-ne.example"


def test_a_program_downloads_its_pdf_and_csv_through_the_presigned_links(local: Session) -> None:
    program_id, (ana,) = program_with_staff(local, "Report Mentors", "ana")
    cycle_id = submitted_cycle(local, program_id, ana)
    documents = f"/cycles/{cycle_id}/documents"

    pdf_link = ana.get(f"{documents}/assessment.pdf")
    csv_link = ana.get(f"{documents}/assessment.csv")
    assert pdf_link.status == 200, pdf_link.body
    assert csv_link.status == 200, csv_link.body

    # The link needs no token: a browser or curl fetches it from storage as it is.
    pdf = requests.get(pdf_link.json["url"], timeout=10)
    assert pdf.status_code == 200, pdf.text[:200]
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf_link.json["filename"] in pdf.headers["Content-Disposition"]
    document = pdfium.PdfDocument(pdf.content)
    first = document[0].get_textpage().get_text_range()
    assert "Report Mentors" in first
    assert len(document) > 16  # a cover, then a page per section

    table = requests.get(csv_link.json["url"], timeout=10)
    assert table.status_code == 200, table.text[:200]
    assert table.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == 92
    assert {r["Rating"] for r in rows} == {"Not in practice"}  # as answered
    assert {r["Program ID"] for r in rows} == {program_id}

    # Another affiliate's staff: no such cycle, no link.
    refused = local.as_user(NE_STAFF).get(f"{documents}/assessment.pdf")
    assert refused.status == 404, refused.body
    assert "url" not in refused.json
