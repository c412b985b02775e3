"""The self-assessment instrument (question bank) as data, its validator and its loader.

An instrument is a versioned bank of items in three parts (design and management, operations,
evaluation), grouped in lettered sections. Each item has a stable ``key`` (answers, goals and
comparisons use it) and a display ``code`` (section letter plus a number continuous across the
whole instrument: ``A1``..``A5``, ``B6``, ...). A later version may renumber items; a crosswalk
maps the keys of one version to those of the next (``None``: the item was retired).

Pure: no AWS. Version 1 of ``nqms-eepm4`` ships as JSON in ``shared/instruments``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, TypeVar

DEFAULT_INSTRUMENT = "nqms-eepm4"
# Instruments whose item count is fixed by the programme, whatever a bank declares.
REQUIRED_ITEM_COUNTS: Mapping[str, int] = {DEFAULT_INSTRUMENT: 92}
KINDS: Mapping[str, str] = {"B": "benchmark", "E": "enhancement", "PM": "management"}

KEY_RE = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
PART_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
LETTER_RE = re.compile(r"^[A-Z]$")
CODE_RE = re.compile(r"^([A-Z])([1-9]\d*)$")
REFERENCE_RE = re.compile(r"^(B|E)\.[1-6]\.\d{1,2}$|^PM\.[a-z-]+$")


class InstrumentError(ValueError):
    """A malformed instrument or crosswalk; the message names every problem found."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Part:
    id: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True)
class Section:
    letter: str
    part: str
    title: str

    def to_dict(self) -> dict[str, Any]:
        return {"letter": self.letter, "part": self.part, "title": self.title}


@dataclass(frozen=True)
class Item:
    key: str
    code: str
    part: str
    section: str
    prompt: str
    references: tuple[str, ...]
    kind: str
    guidance: str
    evidence_hint: str
    allows_na: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "code": self.code,
            "part": self.part,
            "section": self.section,
            "prompt": self.prompt,
            "references": list(self.references),
            "kind": self.kind,
            "guidance": self.guidance,
            "evidence_hint": self.evidence_hint,
            "allows_na": self.allows_na,
        }


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    title: str
    item_count: int
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    _by_key: dict[str, Item] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Item] = field(init=False, repr=False, compare=False)
    _by_section: dict[str, tuple[Item, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_section: dict[str, list[Item]] = {s.letter: [] for s in self.sections}
        for item in self.items:
            by_section.setdefault(item.section, []).append(item)
        object.__setattr__(self, "_by_key", {i.key: i for i in self.items})
        object.__setattr__(self, "_by_code", {i.code.upper(): i for i in self.items})
        object.__setattr__(self, "_by_section", {k: tuple(v) for k, v in by_section.items()})

    def item_by_key(self, key: str) -> Item | None:
        return self._by_key.get(key)

    def item_by_code(self, code: str) -> Item | None:
        """The item shown under ``code`` (``a1`` and ``A1`` alike)."""
        return self._by_code.get(code.strip().upper())

    def items_in_section(self, letter: str) -> tuple[Item, ...]:
        return self._by_section.get(letter.strip().upper(), ())

    def to_dict(self) -> dict[str, Any]:
        """The bank as JSON-ready data; ``validate_instrument(i.to_dict()) == i``."""
        return {
            "key": self.key,
            "version": self.version,
            "title": self.title,
            "item_count": self.item_count,
            "parts": [p.to_dict() for p in self.parts],
            "sections": [s.to_dict() for s in self.sections],
            "items": [i.to_dict() for i in self.items],
        }


# --------------------------------------------------------------------------- validation
def _text(data: Mapping[str, Any], name: str, where: str, problems: list[str]) -> str | None:
    value = data.get(name)
    if name not in data or value is None:
        problems.append(f"{where}: missing {name}")
        return None
    if not isinstance(value, str):
        problems.append(f"{where}: {name} must be a string, not {type(value).__name__}")
        return None
    if not value.strip():
        problems.append(f"{where}: {name} is blank")
        return None
    return value


def _positive_int(
    data: Mapping[str, Any], name: str, where: str, problems: list[str]
) -> int | None:
    value = data.get(name)
    if name not in data or value is None:
        problems.append(f"{where}: missing {name}")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"{where}: {name} must be an integer, not {type(value).__name__}")
        return None
    if value < 1:
        problems.append(f"{where}: {name} must be a positive integer, not {value}")
        return None
    return value


def _list(data: Mapping[str, Any], name: str, where: str, problems: list[str]) -> list[Any]:
    value = data.get(name)
    if name not in data or value is None:
        problems.append(f"{where}: missing {name}")
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        problems.append(f"{where}: {name} must be a list, not {type(value).__name__}")
        return []
    if not value:
        problems.append(f"{where}: {name} is empty")
    return list(value)


def _parts(raw: list[Any], problems: list[str]) -> list[Part]:
    parts: list[Part] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        where = f"part {n}"
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be an object, not {type(entry).__name__}")
            continue
        part_id = _text(entry, "id", where, problems)
        title = _text(entry, "title", where, problems)
        if part_id is None or title is None:
            continue
        if not PART_ID_RE.match(part_id):
            problems.append(f"{where}: invalid part id {part_id!r} (lowercase letters, digits, -)")
        if part_id in seen:
            problems.append(f"{where}: duplicate part {part_id!r}")
            continue
        seen.add(part_id)
        parts.append(Part(part_id, title))
    return parts


def _sections(raw: list[Any], parts: list[Part], problems: list[str]) -> list[Section]:
    part_order = {p.id: n for n, p in enumerate(parts)}
    sections: list[Section] = []
    seen: set[str] = set()
    last_part = -1
    for n, entry in enumerate(raw, start=1):
        where = f"section {n}"
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be an object, not {type(entry).__name__}")
            continue
        letter = _text(entry, "letter", where, problems)
        part = _text(entry, "part", where, problems)
        title = _text(entry, "title", where, problems)
        if letter is None or part is None or title is None:
            continue
        where = f"section {letter}"
        if not LETTER_RE.match(letter):
            problems.append(f"{where}: letter must be one capital letter A-Z")
        elif letter in seen:
            problems.append(f"{where}: duplicate section letter {letter}")
            continue
        else:
            expected = chr(ord("A") + n - 1) if n <= 26 else None
            if letter != expected:
                problems.append(
                    f"{where}: sections out of letter order (section {n} must be {expected})"
                )
        seen.add(letter)
        if part not in part_order:
            problems.append(f"{where}: unknown part {part!r}")
        elif part_order[part] < last_part:
            problems.append(f"{where}: sections not grouped by part in part order ({part!r})")
        else:
            last_part = part_order[part]
        sections.append(Section(letter, part, title))
    return sections


def _references(
    entry: Mapping[str, Any], where: str, problems: list[str]
) -> tuple[str, ...] | None:
    raw = entry.get("references")
    if "references" not in entry or raw is None:
        problems.append(f"{where}: missing references")
        return None
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        problems.append(f"{where}: references must be a list, not {type(raw).__name__}")
        return None
    if not raw:
        problems.append(f"{where}: missing reference (references is empty)")
        return None
    ok = True
    for ref in raw:
        if not isinstance(ref, str) or not REFERENCE_RE.match(ref):
            problems.append(
                f"{where}: malformed reference {ref!r} (expected B.x.y, E.x.y or PM.area)"
            )
            ok = False
    if len(set(raw)) != len(raw) and ok:
        problems.append(f"{where}: duplicate reference")
        ok = False
    return tuple(raw) if ok else None


def _item(
    n: int,
    entry: Any,
    parts: Mapping[str, Part],
    sections: Mapping[str, Section],
    problems: list[str],
) -> Item | None:
    where = f"item {n}"
    if not isinstance(entry, Mapping):
        problems.append(f"{where}: must be an object, not {type(entry).__name__}")
        return None
    code = _text(entry, "code", where, problems)
    if code is not None:
        where = f"item {n} ({code})"
    key = _text(entry, "key", where, problems)
    part = _text(entry, "part", where, problems)
    section = _text(entry, "section", where, problems)
    prompt = _text(entry, "prompt", where, problems)
    kind = _text(entry, "kind", where, problems)
    guidance = _text(entry, "guidance", where, problems)
    evidence_hint = _text(entry, "evidence_hint", where, problems)
    references = _references(entry, where, problems)
    allows_na = entry.get("allows_na")
    if "allows_na" not in entry or allows_na is None:
        problems.append(f"{where}: missing allows_na")
    elif not isinstance(allows_na, bool):
        problems.append(f"{where}: allows_na must be true or false, not {allows_na!r}")

    fine = True
    if key is not None and not KEY_RE.match(key):
        problems.append(f"{where}: invalid key format {key!r} (lowercase a-z, 0-9, '.', '-')")
        fine = False
    if part is not None and part not in parts:
        problems.append(f"{where}: unknown part {part!r}")
        fine = False
    if section is not None:
        declared = sections.get(section)
        if declared is None:
            problems.append(f"{where}: unknown section {section!r}")
            fine = False
        elif part is not None and part in parts and declared.part != part:
            problems.append(
                f"{where}: part {part!r} differs from the part {declared.part!r} of section "
                f"{section}"
            )
            fine = False
    if code is not None:
        match = CODE_RE.match(code)
        if match is None:
            problems.append(f"{where}: malformed code {code!r} (section letter and number)")
            fine = False
        else:
            if int(match.group(2)) != n:
                problems.append(
                    f"{where}: codes not continuous (item {n} must be numbered {n}, not "
                    f"{match.group(2)})"
                )
                fine = False
            if section is not None and match.group(1) != section:
                problems.append(f"{where}: code letter is not the item's section {section!r}")
                fine = False
    if kind is not None:
        if kind not in KINDS.values():
            problems.append(
                f"{where}: unknown kind {kind!r} (benchmark, enhancement or management)"
            )
            fine = False
        elif references:
            expected = KINDS[references[0].split(".", 1)[0]]
            if kind != expected:
                problems.append(
                    f"{where}: kind {kind!r} inconsistent with references (first reference "
                    f"{references[0]} makes it {expected!r})"
                )
                fine = False
    if (
        not fine
        or key is None
        or code is None
        or part is None
        or section is None
        or prompt is None
        or kind is None
        or guidance is None
        or evidence_hint is None
        or references is None
        or not isinstance(allows_na, bool)
    ):
        return None
    return Item(
        key=key,
        code=code,
        part=part,
        section=section,
        prompt=prompt,
        references=references,
        kind=kind,
        guidance=guidance,
        evidence_hint=evidence_hint,
        allows_na=allows_na,
    )


def validate_instrument(data: Mapping[str, Any]) -> Instrument:
    """The instrument described by ``data``, or InstrumentError naming every problem found."""
    if not isinstance(data, Mapping):
        raise InstrumentError(f"instrument must be an object, not {type(data).__name__}")
    problems: list[str] = []
    where = "instrument"
    key = _text(data, "key", where, problems)
    if key is not None and not KEY_RE.match(key):
        problems.append(f"{where}: invalid key format {key!r} (lowercase a-z, 0-9, '.', '-')")
    version = _positive_int(data, "version", where, problems)
    title = _text(data, "title", where, problems)
    item_count = _positive_int(data, "item_count", where, problems)
    required = REQUIRED_ITEM_COUNTS.get(key or "")
    if required is not None and item_count is not None and item_count != required:
        problems.append(f"{where}: item_count of {key} must be {required}, not {item_count}")

    parts = _parts(_list(data, "parts", where, problems), problems)
    sections = _sections(_list(data, "sections", where, problems), parts, problems)
    raw_items = _list(data, "items", where, problems)
    if item_count is not None and raw_items and len(raw_items) != item_count:
        problems.append(
            f"{where}: item count {len(raw_items)} differs from the declared item_count "
            f"{item_count}"
        )

    part_by_id = {p.id: p for p in parts}
    section_by_letter = {s.letter: s for s in sections}
    section_order = {s.letter: n for n, s in enumerate(sections)}
    items: list[Item] = []
    keys_seen: dict[str, str] = {}
    codes_seen: dict[str, str] = {}
    last_section = -1
    for n, entry in enumerate(raw_items, start=1):
        item = _item(n, entry, part_by_id, section_by_letter, problems)
        if isinstance(entry, Mapping):
            # duplicates are reported even when the item has other problems
            raw_key, raw_code = entry.get("key"), entry.get("code")
            label = f"item {n}" + (f" ({raw_code})" if isinstance(raw_code, str) else "")
            if isinstance(raw_key, str) and raw_key.strip():
                if raw_key in keys_seen:
                    problems.append(
                        f"{label}: duplicate key {raw_key!r} (also {keys_seen[raw_key]})"
                    )
                else:
                    keys_seen[raw_key] = label
            if isinstance(raw_code, str) and raw_code.strip():
                folded = raw_code.strip().upper()
                if folded in codes_seen:
                    problems.append(
                        f"{label}: duplicate code {raw_code!r} (also {codes_seen[folded]})"
                    )
                else:
                    codes_seen[folded] = label
        if item is None:
            continue
        order = section_order[item.section]
        if order < last_section:
            problems.append(
                f"item {n} ({item.code}): items not grouped by section in order "
                f"(section {item.section} after section {sections[last_section].letter})"
            )
        else:
            last_section = order
        items.append(item)

    if raw_items and not problems:
        populated = {i.section for i in items}
        problems.extend(
            f"section {s.letter}: has no items" for s in sections if s.letter not in populated
        )
        populated_parts = {s.part for s in sections if s.letter in populated}
        problems.extend(f"part {p.id}: has no items" for p in parts if p.id not in populated_parts)

    if problems or key is None or version is None or title is None or item_count is None:
        raise InstrumentError(problems or ["instrument: incomplete"])
    return Instrument(
        key=key,
        version=version,
        title=title,
        item_count=item_count,
        parts=tuple(parts),
        sections=tuple(sections),
        items=tuple(items),
    )


# --------------------------------------------------------------------------- loading
def load_instrument(key: str = DEFAULT_INSTRUMENT, version: int = 1) -> Instrument:
    """A packaged instrument version (``shared/instruments/{key}-v{version}.json``), validated.

    Read and validated once per process; an unknown key or version raises InstrumentError.
    """
    return _load_packaged(key, version)


@cache
def _load_packaged(key: str, version: int) -> Instrument:
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise InstrumentError(f"invalid instrument key {key!r}")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InstrumentError(f"invalid instrument version {version!r}")
    resource = resources.files("shared.instruments").joinpath(f"{key}-v{version}.json")
    if not resource.is_file():
        raise InstrumentError(f"unknown instrument {key} version {version}")
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InstrumentError(
            f"instrument {key} version {version} is not valid JSON: {error}"
        ) from error
    instrument = validate_instrument(data)
    if instrument.key != key or instrument.version != version:
        raise InstrumentError(
            f"file for {key} version {version} holds {instrument.key} version {instrument.version}"
        )
    return instrument


# --------------------------------------------------------------------------- crosswalks
@dataclass(frozen=True)
class Crosswalk:
    """Keys of ``from_version`` mapped to keys of ``to_version``.

    ``None`` means the item was retired; a key absent from ``mapping`` keeps its name.
    """

    from_version: int
    to_version: int
    mapping: Mapping[str, str | None]


def translate_key(crosswalk: Crosswalk | None, key: str) -> str | None:
    """The key in the newer version for ``key`` of the older one (``None``: retired)."""
    if crosswalk is None or key not in crosswalk.mapping:
        return key
    return crosswalk.mapping[key]


T = TypeVar("T")


def translate_answers(
    answers: Mapping[str, T], crosswalks: Sequence[Crosswalk], *, backward: bool = False
) -> dict[str, T]:
    """Values keyed by item key, re-keyed through ``crosswalks`` applied in order.

    Forward, each crosswalk takes the keys of its older version to the newer one, and items
    retired on the way drop out. Backward, the same crosswalks are read in reverse, newer keys
    to older ones.
    """
    current = dict(answers)
    for crosswalk in crosswalks:
        if backward:
            older = {new: old for old, new in crosswalk.mapping.items() if new is not None}
            current = {older.get(key, key): value for key, value in current.items()}
        else:
            moved = ((translate_key(crosswalk, key), value) for key, value in current.items())
            current = {key: value for key, value in moved if key is not None}
    return current


def validate_crosswalk(
    data: Mapping[str, str | None], old: Instrument, new: Instrument
) -> Crosswalk:
    """The crosswalk from ``old`` to ``new``, or InstrumentError naming every problem.

    Every item of ``old`` must end up somewhere: in ``new`` under the same key, mapped to a key
    of ``new``, or explicitly retired (``None``), so comparisons never drop items silently.
    No two old items may land on the same new key.
    """
    if not isinstance(data, Mapping):
        raise InstrumentError(f"crosswalk must be an object, not {type(data).__name__}")
    problems: list[str] = []
    if old.key != new.key:
        problems.append(f"crosswalk joins different instruments ({old.key} and {new.key})")
    if new.version <= old.version:
        problems.append(
            f"crosswalk must go to a later version (from {old.version} to {new.version})"
        )
    old_keys = {i.key for i in old.items}
    new_keys = {i.key for i in new.items}
    for source, target in data.items():
        if not isinstance(source, str) or source not in old_keys:
            problems.append(f"unknown old key {source!r} (not in version {old.version})")
        if target is not None and (not isinstance(target, str) or target not in new_keys):
            problems.append(
                f"unknown new key {target!r} for {source!r} (not in version {new.version})"
            )
        if target is None and source in new_keys:
            problems.append(
                f"old key {source!r} is retired but still in version {new.version} "
                "(keys are never reused)"
            )
    unmapped = sorted(k for k in old_keys if k not in data and k not in new_keys)
    if unmapped:
        problems.append(
            f"old keys neither in version {new.version} nor mapped (map or retire them): "
            + ", ".join(unmapped)
        )
    landed: dict[str, str] = {}
    for source in sorted(old_keys):
        target = data.get(source, source)
        if not isinstance(target, str) or target not in new_keys:
            continue
        if target in landed:
            problems.append(
                f"old keys {landed[target]!r} and {source!r} both map to new key {target!r}"
            )
        else:
            landed[target] = source
    if problems:
        raise InstrumentError(problems)
    return Crosswalk(old.version, new.version, dict(data))


def crosswalk_for(
    old: Instrument, new: Instrument, mapping: Mapping[str, str | None] | None
) -> Crosswalk:
    """The validated crosswalk between two versions; no mapping means every key is kept."""
    return validate_crosswalk(mapping or {}, old, new)
