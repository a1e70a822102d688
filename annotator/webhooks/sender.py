"""One HTTP attempt of a webhook delivery, to an address checked just before connecting.

httpx is asked for ``scheme://<checked address>:port/path`` with the original ``Host`` header
and, for https, the ``sni_hostname`` extension: httpcore then sends SNI for the hostname and
checks the certificate against it, while the TCP connection goes to the address we checked.
No second DNS lookup happens, so DNS rebinding cannot move the request. No redirects.
"""

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpx

from annotator.webhooks.addresses import RefusedURL, Resolver, resolve_target, system_resolver

TIMEOUT_SECONDS = 5.0
BODY_LIMIT = 1024
USER_AGENT = "annotator-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str
    response_body: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signature(secret: str, body: bytes) -> str:
    """The X-Annotator-Signature value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _pinned_url(url: str, address: str, port: int) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ipaddress.ip_address(address).version == 6 else address
    return urlunsplit((parts.scheme, f"{host}:{port}", parts.path or "/", parts.query, ""))


def send(
    *,
    url: str,
    secret: str,
    event: str,
    delivery_uid: str,
    body: bytes,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    transport: httpx.BaseTransport | None = None,
) -> Outcome:
    """POST ``body`` signed with ``secret`` to ``url``; never raises for network failures."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = resolve_target(url, allow_private=allow_private, resolver=resolver)
    except RefusedURL as error:
        return Outcome(None, elapsed(), f"refused: {error}", "")
    netloc = urlsplit(url).netloc.rsplit("@", 1)[-1]
    headers = {
        "Host": netloc,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Annotator-Event": event,
        "X-Annotator-Delivery": delivery_uid,
        "X-Annotator-Signature": signature(secret, body),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        with httpx.Client(
            timeout=TIMEOUT_SECONDS, follow_redirects=False, transport=transport, trust_env=False
        ) as client:
            request = client.build_request(
                "POST",
                _pinned_url(url, target.address, target.port),
                headers=headers,
                content=body,
                extensions=extensions,
            )
            response = client.send(request, stream=True)
            try:
                # A response already read (a mock transport's) has nothing left to stream.
                kept = response.content if response.is_stream_consumed else b""
                for chunk in () if response.is_stream_consumed else response.iter_raw():
                    kept += chunk
                    if len(kept) >= BODY_LIMIT:
                        break
            finally:
                response.close()
            text = kept[:BODY_LIMIT].decode("utf-8", errors="replace")[:BODY_LIMIT]
            return Outcome(response.status_code, elapsed(), "", text)
    except httpx.TimeoutException:
        return Outcome(None, elapsed(), f"timed out after {TIMEOUT_SECONDS:g} s", "")
    except httpx.HTTPError as error:
        return Outcome(None, elapsed(), f"{type(error).__name__}: {error}"[:500], "")
