"""Request and response models of the evidence library (pydantic, extra fields forbidden)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from shared.edge.types import Input, Output

#: Document types a program may upload (office documents, PDF, plain text, CSV, images).
ContentType = Literal[
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text/plain",
    "text/csv",
    "image/png",
    "image/jpeg",
]
DocumentState = Literal["pending", "available"]
MAX_LINKED_ITEMS = 92

Filename = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]
ItemRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


# --------------------------------------------------------------------------- inputs
class EvidenceUploadIn(Input):
    filename: Filename = Field(
        description="The file's name, without any folder.", examples=["mentor-handbook-2025.pdf"]
    )
    content_type: ContentType = Field(description="The file's media type (an allow-list).")
    size_bytes: int = Field(
        ge=1,
        description=(
            "The file's exact size in bytes (the upload form accepts no other); at most the "
            "configured limit (25 MB by default)."
        ),
    )
    title: Title | None = Field(default=None, examples=["Mentor handbook"])
    description: Description | None = None

    @field_validator("filename")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if "/" in value or "\\" in value:
            raise ValueError("a file name, not a path: no '/' or '\\'")
        if value in {".", ".."}:
            raise ValueError("not a file name")
        if any(unicodedata.category(c).startswith("C") for c in value):
            raise ValueError("no control or invisible format characters")
        return value


class EvidenceLinksIn(Input):
    items: list[ItemRef] = Field(
        max_length=MAX_LINKED_ITEMS,
        description=(
            "The items this document supports, by code (e.g. `A1`, any case) or stable key; "
            "replaces the current links. Duplicates count once; an empty list unlinks all."
        ),
        examples=[["A1", "B6"]],
    )
    version: int | None = Field(
        default=None, ge=1, description="The version you read (instead of an If-Match header)."
    )


# --------------------------------------------------------------------------- outputs
class EvidenceItemLink(Output):
    key: str = Field(description="The item's stable key (survives instrument versions).")
    code: str | None = Field(
        description="Display code in the current instrument; null if the item was retired."
    )


class EvidenceDocument(Output):
    document_id: str
    program_id: str
    filename: str
    content_type: str
    size_bytes: int = Field(
        description="The file's size in bytes: declared while pending, the stored file's once "
        "available (the upload form accepts exactly the declared size)."
    )
    sha256: str | None = Field(
        default=None,
        pattern="^[0-9a-f]{64}$",
        description=(
            "SHA-256 of the file's bytes (lowercase hex), recorded when the upload was "
            "confirmed; downloads serve exactly these bytes. Null while pending."
        ),
        examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    )
    title: str | None = None
    description: str | None = None
    state: DocumentState
    items: list[EvidenceItemLink] = Field(description="Items of the instrument it is linked to.")
    uploaded_by: str
    created_at: str
    confirmed_at: str | None = None
    updated_at: str | None = None
    version: int


class UploadTarget(Output):
    url: str = Field(description="POST a multipart form here: every field, then `file` last.")
    fields: dict[str, str]
    expires_at: str


class EvidenceUpload(EvidenceDocument):
    upload: UploadTarget = Field(
        description="Where and how to upload the file; then confirm the document."
    )


class EvidenceList(Output):
    items: list[EvidenceDocument]
    next: str | None = Field(default=None, description="Cursor of the next page, if any.")


class EvidenceDownload(Output):
    url: str = Field(description="A short-lived link that downloads the file.")
    expires_at: str
    filename: str
