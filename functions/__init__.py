"""The functions, a package each; the template's handlers are their entry points.

Importing any of them pauses the garbage collector in an execution environment until the
entry point's first invocation returns (``shared.collector``): a cold start's objects live as
long as the process, and collecting while they are made is wasted time.
"""

from shared.collector import pause_for_cold_start

pause_for_cold_start()
