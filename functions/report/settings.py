"""The report service's settings, validated at cold start (shared/settings.py)."""

from __future__ import annotations

from pydantic import Field

from shared.settings import ApiSettings, FunctionSettings, Piece, Required


class ReportsBucketSettings(Piece):
    #: Private bucket the documents are written to, served by short presigned links.
    reports_bucket: Required = Field(validation_alias="REPORTS_BUCKET")


class ResearchExportSettings(FunctionSettings, ReportsBucketSettings):
    """The research export's job: the bucket, and the secret its pseudonyms are keyed with
    (the ARN of a generated secret, read once per process)."""

    pseudonym_key_secret: Required = Field(validation_alias="PSEUDONYM_KEY_SECRET")


class ReportSettings(ApiSettings, ReportsBucketSettings):
    """The edge's settings and the reports bucket."""


#: The template's handlers of this package and their models (tests/unit/test_settings.py).
HANDLERS: dict[str, type[Piece]] = {
    "functions.report.handler.lambda_handler": ReportSettings,
    # the aggregates' consumer: the table only
    "functions.report.aggregates_consumer.lambda_handler": FunctionSettings,
    "functions.report.export_job.lambda_handler": ResearchExportSettings,
}
