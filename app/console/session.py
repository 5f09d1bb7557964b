"""The console's signed cookies: the session (the API key an official signed in with) and the
CSRF token every form carries.

The session cookie holds the key itself, signed with CONSOLE_SECRET, HttpOnly and
SameSite=Strict: each request verifies the key again (app/api/deps.authenticate), so a revoked
key signs the user out at once. CSRF: a random nonce in its own cookie; a form's token is the
HMAC of that nonce, checked on every POST together with the Origin header.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

SESSION_COOKIE = "vnd_console"
CSRF_COOKIE = "vnd_csrf"
LANG_COOKIE = "vnd_lang"
SESSION_SECONDS = 12 * 3600  # one working day: sign in again the next morning
MIN_SECRET = 32


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Signer:
    secret: bytes

    @classmethod
    def of(cls, configured: str | None) -> Signer:
        if configured is not None and len(configured) >= MIN_SECRET:
            return cls(configured.encode())
        if configured is not None:
            log.warning("CONSOLE_SECRET is shorter than %d characters: ignored", MIN_SECRET)
        log.warning(
            "CONSOLE_SECRET is not set: console sessions use a random secret of this process "
            "(they end at restart and are not shared between workers)"
        )
        return cls(secrets.token_bytes(32))

    def _mac(self, purpose: str, payload: bytes) -> str:
        return _b64(hmac.new(self.secret, purpose.encode() + b"\0" + payload, "sha256").digest())

    def session_value(self, key: str, now: float | None = None) -> str:
        payload = json.dumps({"k": key, "t": int(now if now is not None else time.time())})
        body = _b64(payload.encode())
        return f"{body}.{self._mac('session', body.encode())}"

    def session_key(self, value: str | None, now: float | None = None) -> str | None:
        """The key in a session cookie that is ours and not expired; else None."""
        if not value or value.count(".") != 1:
            return None
        body, mac = value.split(".")
        if not hmac.compare_digest(mac, self._mac("session", body.encode())):
            return None
        try:
            data = json.loads(_unb64(body))
        except ValueError:
            return None
        issued = data.get("t") if isinstance(data, dict) else None
        key = data.get("k") if isinstance(data, dict) else None
        moment = now if now is not None else time.time()
        if not isinstance(issued, int) or not isinstance(key, str):
            return None
        if not 0 <= moment - issued <= SESSION_SECONDS:
            return None
        return key

    def csrf_token(self, nonce: str) -> str:
        return self._mac("csrf", nonce.encode())

    def csrf_ok(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(nonce))


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
