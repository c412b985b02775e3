"""Access rules of the assessment service (instruments, cycles, answers, evidence).

A cycle's target is its program: the relations are the caller's to the cycle's program.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import READ_RESULTS, SIGNED_IN, R, Rule, rule

ACCESS: Mapping[str, Rule] = {
    # instruments
    "listInstruments": SIGNED_IN,
    "getInstrument": SIGNED_IN,
    "publishInstrument": rule(national_staff=[R.NATIONAL_ADMIN]),
    # cycles and answers
    "openCycle": rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF]),
    "listCycles": READ_RESULTS,
    "getCycle": READ_RESULTS,
    "getAssessment": READ_RESULTS,
    "saveAnswer": rule(program_staff=[R.PROGRAM_MEMBER]),
    "getReadiness": READ_RESULTS,
    "submitAssessment": rule(program_staff=[R.PROGRAM_MEMBER]),
    "returnAssessment": rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF]),
    "archiveCycle": rule(
        affiliate_staff=[R.SERVING_AFFILIATE_STAFF], national_staff=[R.NATIONAL_ADMIN]
    ),
    "compareCycles": READ_RESULTS,
    # evidence (program documents; national staff read with the results grant)
    "createEvidenceUpload": rule(program_staff=[R.PROGRAM_MEMBER]),
    "confirmEvidence": rule(program_staff=[R.PROGRAM_MEMBER]),
    "linkEvidence": rule(program_staff=[R.PROGRAM_MEMBER]),
    "deleteEvidence": rule(program_staff=[R.PROGRAM_MEMBER]),
    "listEvidence": READ_RESULTS,
    "downloadEvidence": READ_RESULTS,
}

#: The kind of target -> the operation that reads it (see ``READ_OPERATION``).
READ_OPERATION: Mapping[str, str] = {"Cycle": "getCycle"}

#: What each operation does, for the detail of a 403 ("... may not <action>").
ACTIONS: Mapping[str, str] = {
    "listInstruments": "list instruments",
    "getInstrument": "read an instrument",
    "publishInstrument": "publish an instrument",
    "openCycle": "open a cycle",
    "listCycles": "list this program's cycles",
    "getCycle": "read this cycle",
    "getAssessment": "read this assessment",
    "saveAnswer": "save an answer",
    "getReadiness": "read this cycle's readiness",
    "submitAssessment": "submit an assessment",
    "returnAssessment": "return an assessment",
    "archiveCycle": "archive a cycle",
    "compareCycles": "compare cycles",
    "createEvidenceUpload": "upload evidence",
    "confirmEvidence": "confirm evidence",
    "linkEvidence": "link evidence to items",
    "deleteEvidence": "delete evidence",
    "listEvidence": "list this program's evidence",
    "downloadEvidence": "download evidence",
}
