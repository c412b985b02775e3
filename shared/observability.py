"""Logger and Metrics, one per process (Powertools: JSON logs, EMF metrics), created on their
first use.

An API function's first request usually logs nothing: importing Powertools' Logger (about
34 ms) would be a tenth of its cold start for nothing. ``logger`` and ``metrics`` stand for
them and load them when something is logged or measured; the invocation's Lambda context and
correlation id (``logger.begin_invocation``, which the edge calls per request) are applied
then, as ``Logger.inject_lambda_context`` would have applied them, with the cold start flag
of the invocation they belong to. Consumers keep Powertools' decorators
(``logger.inject_lambda_context``, ``metrics.log_metrics``): those load at import, as before.

Never log tokens, answer text or notes: log ids and states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics


class _LazyLogger:
    """Powertools' ``Logger``, loaded on first use; its per-invocation keys kept until then."""

    def __init__(self) -> None:
        self._real: Logger | None = None
        self._invocation: tuple[Any, str | None, bool] | None = None
        self._cold = True

    def begin_invocation(self, lambda_context: Any, correlation_id: str | None) -> None:
        """What ``inject_lambda_context(correlation_id_path=..., clear_state=True)`` keeps:
        the context's fields, the cold start flag, the correlation id."""
        self._invocation = (lambda_context, correlation_id, self._cold)
        self._cold = False
        if self._real is not None:
            self._apply(self._real)

    def _apply(self, real: Logger) -> None:
        if self._invocation is None:
            return
        lambda_context, correlation_id, cold_start = self._invocation
        fields: dict[str, Any] = {
            "function_name": getattr(lambda_context, "function_name", None),
            "function_memory_size": getattr(lambda_context, "memory_limit_in_mb", None),
            "function_arn": getattr(lambda_context, "invoked_function_arn", None),
            "function_request_id": getattr(lambda_context, "aws_request_id", None),
        }
        real.structure_logs(cold_start=cold_start, **fields)
        real.set_correlation_id(correlation_id)

    def _logger(self) -> Logger:
        if self._real is None:
            from aws_lambda_powertools import Logger
            from aws_lambda_powertools.logging import logger as logger_module

            self._real = Logger()
            # The decorator's own cold start flag: not the first invocation when we said so.
            logger_module.is_cold_start = self._cold and self._invocation is None
            self._apply(self._real)
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger(), name)


class _LazyMetrics:
    """Powertools' ``Metrics`` (namespace NQMS), loaded on first use."""

    def __init__(self) -> None:
        self._real: Metrics | None = None

    def __getattr__(self, name: str) -> Any:
        if self._real is None:
            from aws_lambda_powertools import Metrics

            self._real = Metrics(namespace="NQMS")
        return getattr(self._real, name)


logger: Any = _LazyLogger()
metrics: Any = _LazyMetrics()
