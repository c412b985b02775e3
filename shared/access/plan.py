"""Access rules of the plan service. A plan's target is its cycle's program.

The program's staff and the staff of the affiliates serving it write the plan together;
national staff with the results grant read it. Finalizing and verifying are the affiliate's;
progress and completion are the program's. Once the plan is finalized, only the affiliate
changes goal definitions (decided in functions/plan/logic.py: the cycle's state is needed).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.access.rules import READ_RESULTS, R, Rule, rule

BOTH = rule(program_staff=[R.PROGRAM_MEMBER], affiliate_staff=[R.SERVING_AFFILIATE_STAFF])
AFFILIATE = rule(affiliate_staff=[R.SERVING_AFFILIATE_STAFF])
PROGRAM = rule(program_staff=[R.PROGRAM_MEMBER])

ACCESS: Mapping[str, Rule] = {
    "getPlan": READ_RESULTS,
    "savePlanText": BOTH,
    "addGoal": BOTH,
    "updateGoal": BOTH,
    "retireGoal": BOTH,
    "finalizePlan": AFFILIATE,
    "postGoalProgress": PROGRAM,
    "completeGoal": PROGRAM,
    "verifyGoal": AFFILIATE,
    "sendBackGoal": AFFILIATE,
}

ACTIONS: Mapping[str, str] = {
    "getPlan": "read this plan",
    "savePlanText": "edit the plan's text",
    "addGoal": "add a goal to the plan",
    "updateGoal": "change a goal's definition",
    "retireGoal": "retire a goal",
    "finalizePlan": "finalize the plan",
    "postGoalProgress": "post progress on a goal",
    "completeGoal": "mark a goal completed",
    "verifyGoal": "verify a goal",
    "sendBackGoal": "send a goal back",
}
