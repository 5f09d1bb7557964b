"""The receiver's side of the Standard Webhooks signature, written from the specification
(https://www.standardwebhooks.com/, "Verifying webhook authenticity"), not from the service's
code: the signed content is `{webhook-id}.{webhook-timestamp}.{body}`, the key is the base64
part of the `whsec_` secret, the signature HMAC-SHA256 in base64, sent as space-separated
`v1,<signature>` entries; a message verifies when any entry matches, and the timestamp must
be within five minutes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

TOLERANCE_SECONDS = 5 * 60


def verifies(secret: str, headers: dict[str, str], body: bytes) -> bool:
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    content = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest())
    for entry in headers["webhook-signature"].split(" "):
        version, _, sig = entry.partition(",")
        if version == "v1" and hmac.compare_digest(sig.encode(), expected):
            return True
    return False
