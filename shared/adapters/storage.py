"""Private object storage (S3): presigned upload and download, and the few calls around them.

Objects never pass through a function: clients upload with a presigned POST whose policy pins
the key, the content type and the size range, and download with a short presigned GET.
Presigning makes no network call. The S3 client (:func:`shared.adapters.aws.s3`) signs with
SigV4 and, behind an endpoint URL, addresses buckets path-style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from shared.adapters import aws
from shared.errors import ServiceBusy

_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
_BUSY_CODES = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "503", "500"}


@dataclass(frozen=True)
class ObjectInfo:
    size_bytes: int
    content_type: str | None


def _busy_or_reraise(exc: Exception) -> None:
    if aws.error_code(exc) in _BUSY_CODES:
        raise ServiceBusy("The document store is busy; retry shortly.") from exc
    raise exc


def presigned_post(
    bucket: str, key: str, content_type: str, max_bytes: int, expires_in: int
) -> dict[str, Any]:
    """``{"url", "fields"}`` for a browser form POST of exactly this key, type and size range."""
    result = aws.s3().generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=expires_in,
    )
    return {"url": result["url"], "fields": dict(result["fields"])}


def head(bucket: str, key: str) -> ObjectInfo | None:
    """Size and content type of the object, or None if there is none."""
    try:
        response = aws.s3().head_object(Bucket=bucket, Key=key)
    except Exception as exc:
        if aws.error_code(exc) in _MISSING_CODES:
            return None
        _busy_or_reraise(exc)
        raise
    return ObjectInfo(
        size_bytes=int(response.get("ContentLength", 0)),
        content_type=response.get("ContentType"),
    )


def delete(bucket: str, key: str) -> None:
    """Delete the object (a no-op if it is already gone)."""
    try:
        aws.s3().delete_object(Bucket=bucket, Key=key)
    except Exception as exc:
        _busy_or_reraise(exc)
        raise


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(
        c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in filename
    ).strip()
    exact = quote(filename, safe="")
    return f"attachment; filename=\"{fallback or 'document'}\"; filename*=UTF-8''{exact}"


def presigned_get(bucket: str, key: str, filename: str, content_type: str, expires_in: int) -> str:
    """A short-lived download link that saves the object as ``filename``."""
    url: str = aws.s3().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentDisposition": content_disposition(filename),
            "ResponseContentType": content_type,
        },
        ExpiresIn=expires_in,
    )
    return url
