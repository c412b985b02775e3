"""Private object storage (S3): presigned upload and download, and the few calls around them.

Objects never pass through a function to be stored or served: clients upload with a presigned
POST whose policy pins the key, the content type and the exact size, and download with a short
presigned GET of one object *version* (the bucket is versioned, so a later write under the same
key never changes what such a link serves). Presigning makes no network call. The S3 client
(:func:`shared.adapters.aws.s3`) signs with SigV4 and, behind an endpoint URL, addresses
buckets path-style.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from shared.adapters import aws
from shared.errors import ServiceBusy
from shared.observability import logger

#: What a missing object or version answers.
_MISSING_CODES = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}
#: What HeadObject of a missing key answers on AWS: without ``s3:ListBucket`` (functions are
#: not granted it) S3 says 403, not 404: code ``403``/``Forbidden`` (a HEAD has no body to
#: carry more) or ``AccessDenied``.
_DENIED_CODES = {"403", "AccessDenied", "Forbidden"}
_BUSY_CODES = {"SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "503", "500"}
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ObjectInfo:
    size_bytes: int
    content_type: str | None
    version_id: str | None  # None only if the bucket is not versioned


class TooLarge(Exception):
    """The object holds more bytes than the caller was prepared to read."""


def _busy_or_reraise(exc: Exception) -> None:
    if aws.error_code(exc) in _BUSY_CODES:
        raise ServiceBusy("The document store is busy; retry shortly.") from exc
    raise exc


def _is_missing(exc: Exception, bucket: str, key: str) -> bool:
    """Whether a HeadObject error means there is no such object (a 403 included)."""
    code = aws.error_code(exc)
    if code in _DENIED_CODES:
        # Also what a real permission problem looks like: say so, in case it is one.
        logger.warning(
            "storage answered 403; taken as a missing object",
            extra={"bucket": bucket, "object_key": key, "code": code},
        )
        return True
    return code in _MISSING_CODES


def presigned_post(
    bucket: str, key: str, content_type: str, size_bytes: int, expires_in: int
) -> dict[str, Any]:
    """``{"url", "fields"}`` for a browser form POST of exactly this key, type and size.

    The size range is the declared size and nothing else, so a form reused later (it stays
    valid for ``expires_in``) can only ever store a file of that size and type under that key.
    """
    result = aws.s3().generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", size_bytes, size_bytes],
        ],
        ExpiresIn=expires_in,
    )
    return {"url": result["url"], "fields": dict(result["fields"])}


def head(bucket: str, key: str) -> ObjectInfo | None:
    """Size, content type and version of the current object, or None if there is none."""
    try:
        response = aws.s3().head_object(Bucket=bucket, Key=key)
    except Exception as exc:
        if _is_missing(exc, bucket, key):
            return None
        _busy_or_reraise(exc)
        raise
    version = response.get("VersionId")
    return ObjectInfo(
        size_bytes=int(response.get("ContentLength", 0)),
        content_type=response.get("ContentType"),
        version_id=version if version and version != "null" else None,
    )


def sha256(bucket: str, key: str, version_id: str, max_bytes: int) -> str | None:
    """The SHA-256 (lowercase hex) of exactly this version, read once as a stream, or None if
    the version is gone. Reading stops past ``max_bytes`` (:class:`TooLarge`), so a function
    never reads more than the size limit whatever the object turns out to be.
    """
    try:
        response = aws.s3().get_object(Bucket=bucket, Key=key, VersionId=version_id)
    except Exception as exc:
        # Not _is_missing: this version was just seen, so a 403 here is a real refusal (no
        # s3:GetObjectVersion) and must fail loudly rather than read as "not uploaded yet".
        if aws.error_code(exc) in _MISSING_CODES:
            return None
        _busy_or_reraise(exc)
        raise
    digest, read = hashlib.sha256(), 0
    body = response["Body"]
    try:
        for chunk in body.iter_chunks(_CHUNK):
            read += len(chunk)
            if read > max_bytes:
                raise TooLarge(f"{key} holds more than {max_bytes} bytes")
            digest.update(chunk)
    finally:
        body.close()
    return digest.hexdigest()


def put(bucket: str, key: str, body: bytes, content_type: str) -> None:
    """Store ``body`` under ``key`` (a document a function made, served by a presigned GET)."""
    try:
        aws.s3().put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)
    except Exception as exc:
        _busy_or_reraise(exc)
        raise


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


def presigned_get(
    bucket: str,
    key: str,
    version_id: str | None,
    filename: str,
    content_type: str,
    expires_in: int,
) -> str:
    """A short-lived download link of this version of the object, saved as ``filename``.

    ``version_id`` None links the current object (only for records made before versions were
    recorded); otherwise the link serves that version whatever is written to the key later.
    """
    params: dict[str, Any] = {
        "Bucket": bucket,
        "Key": key,
        "ResponseContentDisposition": content_disposition(filename),
        "ResponseContentType": content_type,
    }
    if version_id:
        params["VersionId"] = version_id
    url: str = aws.s3().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
    return url
