"""Signing in at an OpenID Connect provider: the authorization code flow with PKCE, by hand.

Used for the back office (the organisation's provider) and for DigiD (through a broker).
The flow in three calls, each a few lines, so a reader can follow the protocol itself:

1. `start`: a fresh `state`, `nonce` and PKCE verifier go into the session; the browser is
   sent to the provider's authorization endpoint (from its discovery document).
2. The provider sends the browser back with `code` and `state` (or `error`).
3. `finish`: the `state` must be one this session started (each works once); the code is
   exchanged at the token endpoint (with the verifier and the client secret); the ID token's
   signature is checked against the provider's JWKS, then `iss`, `aud`, `exp` and `nonce`.

Anything wrong raises `SignInFailed` with a short reason; the caller shows a Dutch page.
Discovery and JWKS are fetched at every sign-in: sign-ins are rare, and a provider that
rotates its keys is never met with stale ones. JOSE is joserfc (by Authlib's author);
HTTP is requests with a timeout on every call.
"""

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Asymmetric algorithms only: a token "signed" with the client secret (HS256) or not at all
# ("none") is refused.
ALGORITHMS = ["RS256", "PS256", "ES256"]
PENDING_SECONDS = 600  # time to finish signing in at the provider
# The provider a signed-in session came from; signing out ends there too, so that origin
# may end a form on our pages (CSP form-action, mantelzorg/middleware_signin.py).
PROVIDER_ORIGIN_KEY = "oidc_provider_origin"
MAX_PENDING = 5  # a few tabs at once; older attempts are dropped
LEEWAY_SECONDS = 60  # clock difference allowed for exp/iat


@dataclass(frozen=True)
class Provider:
    """One client registration at one provider; the secret comes from the environment."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid"
    timeout: float = 5.0

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


class SignInFailed(Exception):
    """Signing in did not succeed. `reason` is short and safe to log (no personal data):
    unreachable, provider_error, cancelled, state, token, signature, claims, nonce."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _get_json(url: str, provider: Provider, **kwargs) -> dict:
    """One call to the provider; an answer that is not JSON counts as a provider error."""
    try:
        response = requests.request(kwargs.pop("method", "GET"), url,
                                    timeout=provider.timeout, **kwargs)
    except requests.Timeout as error:
        raise SignInFailed("unreachable", "timeout") from error
    except requests.RequestException as error:
        raise SignInFailed("unreachable", type(error).__name__) from error
    try:
        body = response.json()
    except ValueError as error:
        raise SignInFailed("provider_error", f"HTTP {response.status_code}") from error
    if not isinstance(body, dict):
        raise SignInFailed("provider_error", "not an object")
    if response.status_code >= 400:
        raise SignInFailed("token", str(body.get("error", response.status_code))[:50])
    return body


def discover(provider: Provider) -> dict:
    """The provider's discovery document; its issuer must be the one configured."""
    document = _get_json(provider.discovery_url, provider)
    if document.get("issuer") != provider.issuer:
        raise SignInFailed("provider_error", "issuer in discovery differs")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise SignInFailed("provider_error", f"no {key}")
    return document


def _pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def start(session, session_key: str, provider: Provider, redirect_uri: str,
          **extra) -> str:
    """Remember a new attempt in the session and return the provider's authorization URL.

    `extra` (e.g. where to go afterwards) is kept with the attempt and returned by `finish`.
    """
    document = discover(provider)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    pending = dict(session.get(session_key) or {})
    pending[state] = {"nonce": nonce, "verifier": verifier, "started": time.time(),
                      "extra": extra}
    newest = sorted(pending.items(), key=lambda item: item[1]["started"])[-MAX_PENDING:]
    session[session_key] = dict(newest)
    query = urlencode({
        "response_type": "code", "client_id": provider.client_id,
        "redirect_uri": redirect_uri, "scope": provider.scopes, "state": state,
        "nonce": nonce, "code_challenge": _pkce_challenge(verifier),
        "code_challenge_method": "S256",
    })
    return f"{document['authorization_endpoint']}?{query}"


def _take_attempt(session, session_key: str, state: str) -> dict:
    """The attempt this `state` belongs to, removed from the session (single use)."""
    pending = dict(session.get(session_key) or {})
    attempt = pending.pop(state, None) if state else None
    session[session_key] = pending
    if not attempt or time.time() - attempt["started"] > PENDING_SECONDS:
        raise SignInFailed("state", "unknown, used or expired")
    return attempt


def finish(session, session_key: str, provider: Provider, redirect_uri: str,
           params) -> tuple[dict, str, dict]:
    """Complete the attempt the provider sent back: (verified claims, raw ID token, extra)."""
    attempt = _take_attempt(session, session_key, params.get("state", ""))
    if params.get("error"):
        reason = "cancelled" if params["error"] == "access_denied" else "provider_error"
        raise SignInFailed(reason, str(params["error"])[:50])
    document = discover(provider)
    if params.get("iss") and params["iss"] != provider.issuer:  # RFC 9207: mix-up
        raise SignInFailed("state", "answer from another issuer")
    if not params.get("code"):
        raise SignInFailed("provider_error", "no code")
    tokens = _get_json(document["token_endpoint"], provider, method="POST", data={
        "grant_type": "authorization_code", "code": params["code"],
        "redirect_uri": redirect_uri, "client_id": provider.client_id,
        "client_secret": provider.client_secret, "code_verifier": attempt["verifier"],
    })
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise SignInFailed("token", "no id_token")
    claims = verify_id_token(id_token, provider, document, nonce=attempt["nonce"])
    return claims, id_token, attempt["extra"]


def verify_id_token(id_token: str, provider: Provider, document: dict, *, nonce: str) -> dict:
    """The ID token's claims, after checking signature, issuer, audience, time and nonce."""
    keys = KeySet.import_key_set(_get_json(document["jwks_uri"], provider))
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise SignInFailed("signature", type(error).__name__) from error
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True}, iat={"essential": True}, sub={"essential": True})
    try:
        registry.validate(token.claims)
    except JoseError as error:
        raise SignInFailed("claims", type(error).__name__) from error
    audience = token.claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and \
            token.claims.get("azp") != provider.client_id:
        raise SignInFailed("claims", "azp")
    if not secrets.compare_digest(str(token.claims.get("nonce", "")), nonce):
        raise SignInFailed("nonce")
    return dict(token.claims)


def remember_provider(session, provider: Provider) -> None:
    """After signing in: which provider's origin signing out will end at."""
    parts = urlsplit(provider.issuer)
    session[PROVIDER_ORIGIN_KEY] = f"{parts.scheme}://{parts.netloc}"


def logout_url(provider: Provider, id_token: str, post_logout_redirect_uri: str) -> str:
    """Where to send the browser to sign out at the provider too (RP-initiated logout);
    empty when the provider has no end_session endpoint or cannot be reached. Without an
    ID token (DigiD's holds the BSN, so it is not kept) the client id names us."""
    try:
        endpoint = discover(provider).get("end_session_endpoint")
    except SignInFailed:
        return ""
    if not isinstance(endpoint, str):
        return ""
    hint = {"id_token_hint": id_token} if id_token else {}
    return endpoint + "?" + urlencode({
        **hint, "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": provider.client_id})
