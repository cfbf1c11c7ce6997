"""Rate limits on the public forms and the sign-in link request, in fixed windows.

Counters live in Django's cache (Redis in production and tests), under keys that start with
KEY_PREFIX and carry a hash, never an address, a date of birth or an IP in plain text. Two
families of limits, set in settings (RATELIMIT_*, from the environment):

* "link": the Mijn gegevens sign-in link, per client IP and per e-mail address;
* "form": the public forms, per client IP and per identity. The identity is the address
  (postcode + house number), normalised, without the date of birth: someone probing one
  address cannot get round the limit by trying other birth dates or writing the same one
  differently. Each view names the exact two fields its form reads the address from
  (`identity=("mantelzorger-postcode", "mantelzorger-house_number")`); other posted fields
  are ignored, so extra fields that merely look like an address (`x-postcode=…`) cannot
  give a visitor a fresh counter.

Only POSTs count. A refused request gets a Dutch page with status 429 that says nothing about
whether an address or a person is known. If the cache is down, the request goes through: a
broken counter must not stop someone from registering.
"""

import functools
import hashlib
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .postcodes import canonical_house_number

logger = logging.getLogger(__name__)

KEY_PREFIX = "rl:"


def _limits(family: str) -> dict:
    """{"ip": (limit, window), "address"/"identity": (limit, window)} for a family."""
    if family == "link":
        window = settings.RATELIMIT_LINK_WINDOW_SECONDS
        return {"ip": (settings.RATELIMIT_LINK_PER_IP, window),
                "address": (settings.RATELIMIT_LINK_PER_ADDRESS, window)}
    window = settings.RATELIMIT_FORM_WINDOW_SECONDS
    return {"ip": (settings.RATELIMIT_FORM_PER_IP, window),
            "identity": (settings.RATELIMIT_FORM_PER_IDENTITY, window)}


def client_ip(request) -> str | None:
    """The client's address: the socket's, or behind PROXY_COUNT proxies the one the
    outermost of our proxies put in X-Forwarded-For (entries further left are the client's
    own claims and cannot be trusted). The staff login lockout (axes) uses this too."""
    remote = request.META.get("REMOTE_ADDR") or None  # None: axes stores no address
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [part.strip() for part in
                 request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
        return forwarded[-proxies]
    return remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _normal(value: str) -> str:
    return "".join(str(value).split()).casefold()


def _address_part(value: str) -> str:
    """'3841 ab', '3841-AB' and '3841AB' count as one postcode, '12 a' and '12-A' as one
    house number: only letters and digits, in one case (as everywhere addresses are
    compared, see core.postcodes.canonical_house_number)."""
    return canonical_house_number(value)


def identity_of(request, fields: tuple[str, str]) -> str:
    """Postcode + house number from exactly these POST fields, normalised; empty unless both.
    `QueryDict.get` takes the last of repeated fields, as the view's form does."""
    parts = [_address_part(request.POST.get(name, "")) for name in fields]
    return "|".join(parts) if all(parts) else ""


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]


def hit(scope: str, kind: str, value: str, limit: int, window: int) -> bool:
    """Count one attempt; True while within the limit. A limit of 0 switches it off."""
    if limit <= 0 or not value:
        return True
    bucket = int(time.time()) // window
    key = f"{KEY_PREFIX}{scope}:{kind}:{_hash(value)}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 5)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - a broken cache must not block the public
        logger.warning("Rate limit counter unavailable; request allowed", exc_info=True)
        return True
    return count <= limit


def too_many(request):
    response = render(request, "errors/429.html", status=429)
    response["Retry-After"] = "900"
    return response


def limit(family: str, *, email_field: str | None = None,
          identity: tuple[str, str] | None = None, steps: tuple[str, ...] | None = None):
    """Decorate a view (or a view method, with method_decorator) with the limits of a family.

    email_field: also count per address posted in this field (the sign-in link).
    identity: the names of the postcode and house-number fields the view's form reads; also
      count per address (postcode + house number) when both are posted.
    steps: count per IP only POSTs to these wizard steps (e.g. the final one).
    """
    if identity is not None and (isinstance(identity, str) or len(identity) != 2):
        raise ValueError("identity names the postcode field and the house-number field")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _allowed(request, family, kwargs.get("step"), email_field=email_field,
                            identity=identity, steps=steps):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _allowed(request, family, step, *, email_field, identity, steps) -> bool:
    """Count this request against each limit of its family; False when one is exceeded.

    A function of its own, called per request, rather than code inside the decorator: the
    decorator runs once at import, and `make mutate` could not change what it wraps."""
    if request.method != "POST" or not settings.RATELIMIT_ENABLED:
        return True
    limits = _limits(family)
    allowed = True
    if steps is None or step in steps:
        allowed &= hit(family, "ip", client_ip(request) or "unknown", *limits["ip"])
    if email_field:
        allowed &= hit(family, "address", _normal(request.POST.get(email_field, "")),
                       *limits["address"])
    if identity:
        allowed &= hit(family, "identity", identity_of(request, identity), *limits["identity"])
    return allowed


def reset_all() -> None:  # pragma: no mutate block
    """Forget every counter (tests; or an operator after a false alarm).

    Not mutated by `make mutate`: every test starts with it, so a mutant here changes the
    tests' own clean-up, not a rule, and takes minutes per mutant to prove so."""
    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):  # Redis
        redis = client.get_client(None, write=True)
        keys = list(redis.scan_iter(match=cache.make_key(KEY_PREFIX + "*"), count=1000))
        if keys:
            redis.delete(*keys)
    elif isinstance(client, dict):  # local memory
        for key in [k for k in client if KEY_PREFIX in k]:
            cache.delete(key.split(":", 2)[-1])
