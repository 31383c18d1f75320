"""Personal data: keyed hashes for identifiers, masked names, scrubbing free text.

ID numbers, phone numbers and home addresses are never stored; a keyed hash of the ID number
(or of name + village when there is none) lets distinct children be counted.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from minzheng import normalize

# 18-digit ID (last may be X), 15-digit old ID, 11-digit mainland mobile, 7–8 digit landline with area code.
_SENSITIVE = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15}|1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![\dXx])")
REDACTED = "[已脱敏]"


def person_hash(
    key: bytes, id_number: object, name: object = "", village: object = ""
) -> str | None:
    """Keyed hash identifying a person across rows and files; None when nothing identifies them."""
    ident = normalize.text(id_number).upper()
    if not ident:
        ident = "name:" + normalize.text(name) + "|" + normalize.text(village)
        if ident == "name:|":
            return None
    return hmac.new(key, ident.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def mask_name(name: object) -> str:
    """王小明 → 王*明, 王明 → 王*, 欧阳小明 → 欧**明; '' stays ''."""
    raw = normalize.text(name)
    if len(raw) <= 1:
        return raw
    if len(raw) == 2:
        return raw[0] + "*"
    return raw[0] + "*" * (len(raw) - 2) + raw[-1]


def scrub(text: str) -> str:
    """Free text with ID and phone numbers replaced by a marker."""
    return _SENSITIVE.sub(REDACTED, text) if text else text


def has_sensitive(text: str) -> bool:
    """True if the text contains something that looks like an ID or phone number."""
    return bool(_SENSITIVE.search(text))


def cells_have_sensitive(cells) -> bool:
    """True if any text cell (or large number) among `cells` looks like an ID or phone number."""
    texts = []
    for value in cells:
        if value.__class__ is str:
            if len(value) >= 10:
                texts.append(value)
        elif value.__class__ in (float, int) and value >= 1e6 and has_sensitive(f"{value:.0f}"):
            return True
    return has_sensitive("\x00".join(texts))
