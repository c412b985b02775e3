"""Access rules of the report service. A document's target is its cycle's program; a progress
report's, the program.

A program's documents (its assessment and plan as PDF and CSV) and its own progress across
cycles are its confidential results: the program's staff, the staff of the affiliates serving
it, and national staff with the results grant read them, and every download is audited (they
are results reads: ``shared.access.AUDITED_READS``).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import READ_RESULTS, Rule

ACCESS: Mapping[str, Rule] = {
    "getAssessmentPdf": READ_RESULTS,
    "getAssessmentCsv": READ_RESULTS,
    "getPlanPdf": READ_RESULTS,
    "getGoalsCsv": READ_RESULTS,
    "getProgramProgress": READ_RESULTS,
}

ACTIONS: Mapping[str, str] = {
    "getAssessmentPdf": "download the assessment as a PDF",
    "getAssessmentCsv": "download the assessment as a CSV file",
    "getPlanPdf": "download the plan as a PDF",
    "getGoalsCsv": "download the plan's goals as a CSV file",
    "getProgramProgress": "read the program's progress across its cycles",
}
