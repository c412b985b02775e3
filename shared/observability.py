"""Logger and Metrics, created once per process (Powertools; JSON logs, EMF metrics).

Never log tokens, answer text or notes: log ids and states.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger()
metrics = Metrics(namespace="NQMS")
