"""The demo OpenID Connect provider (tools/oidc-provider) as a process, and a person at it.

`start_provider` runs `node server.js` on a free port and waits until its discovery document
answers. `ProviderVisit` is what a person does at the provider, with plain HTTP: open the
authorization URL the app redirected to, pick a made-up identity (or cancel), and come back
with the URL the provider sends the browser to (the app's callback with `code` and `state`).
"""

import json
import re
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
import time_machine

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "tools" / "oidc-provider"
STAFF_CLIENT = ("mantelzorg-backoffice", "demo-backoffice-secret")
DIGID_CLIENT = ("mantelzorg-digid", "demo-digid-secret")
STARTUP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningProvider:
    process: subprocess.Popen
    issuer: str

    def misbehave(self, **mode) -> None:
        """Test switches (server.js --test-controls): slowTokenMs, foreignJwks,
        tamperClaim, clockAheadSeconds. Called without arguments: behave again."""
        response = requests.post(f"{self.issuer}/__test__/mode", data=json.dumps(mode),
                                 timeout=5)
        response.raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_provider(app_urls: list[str], *, test_controls: bool = True) -> RunningProvider:
    """The provider on a free port, ready (its discovery document answers)."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    command = ["node", "server.js", "--port", str(port), "--issuer", issuer]
    for url in app_urls:
        command += ["--app-url", url]
    if test_controls:
        command.append("--test-controls")
    if shutil.which("setpriv"):  # util-linux: the provider ends when this test process dies
        command = ["setpriv", "--pdeathsig", "TERM", *command]  # (killed, no fixture teardown)
    process = subprocess.Popen(command, cwd=PROVIDER_DIR, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oidc-provider exited with {process.returncode}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return RunningProvider(process, issuer)
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oidc-provider did not answer in time")


class ProviderVisit:
    """One person's browser at the provider (its own cookies)."""

    def __init__(self, authorization_url: str):
        self.browser = requests.Session()
        self.url = authorization_url
        self.page = self._follow(authorization_url)

    def _follow(self, url: str) -> requests.Response:
        """Follow redirects while they stay at the provider; stop at the app's callback."""
        provider_host = urlsplit(self.url).netloc
        for _hop in range(10):
            response = self.browser.get(url, allow_redirects=False, timeout=5)
            location = response.headers.get("location")
            if not location:
                return response
            url = urljoin(url, location)
            if urlsplit(url).netloc != provider_host:
                self.callback = url
                return response
        raise AssertionError("too many redirects at the provider")

    def _post(self, action: str, data: dict) -> str:
        match = re.search(r'action="(/interaction/[\w-]+)/login"', self.page.text)
        assert match, f"the provider shows no sign-in page: {self.page.text[:500]}"
        response = self.browser.post(urljoin(self.url, f"{match.group(1)}/{action}"),
                                     data=data, allow_redirects=False, timeout=5)
        self._follow(urljoin(self.url, response.headers["location"]))
        return self.callback

    def sign_in_as(self, identity: str) -> str:
        """Pick a made-up identity; the app URL the provider sends the browser back to."""
        return self._post("login", {"identity": identity})

    def cancel(self) -> str:
        return self._post("abort", {})


def local_part(url: str) -> str:
    """The path and query of an app URL, for Django's test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def staff_sso_settings(issuer: str) -> dict:
    """settings.STAFF_SSO for the demo provider: its groups, its multi-factor `acr`."""
    return {
        "issuer": issuer, "client_id": STAFF_CLIENT[0], "client_secret": STAFF_CLIENT[1],
        "scopes": "openid profile email groups", "groups_claim": "groups",
        "consulent_groups": ["mantelzorg-consulenten"],
        "coordinator_groups": ["mantelzorg-coordinatoren"],
        "acr_values": ["http://schemas.openid.net/pape/policies/2007/06/multi-factor"],
        "amr_values": [], "demo": False,
    }


def digid_settings(issuer: str) -> dict:
    return {
        "issuer": issuer, "client_id": DIGID_CLIENT[0], "client_secret": DIGID_CLIENT[1],
        "scopes": "openid bsn machtigen", "bsn_claim": "bsn",
        "representee_claim": "representee_bsn", "demo": False,
    }


def through_provider(client, start_url: str, identity: str | None):
    """Press a sign-in button in the app (`start_url`), pick `identity` at the provider (None:
    cancel there), and return the app's answer to the provider's redirect back."""
    start = client.get(start_url)
    assert start.status_code == 302, start.status_code
    visit = ProviderVisit(start["Location"])
    back = visit.cancel() if identity is None else visit.sign_in_as(identity)
    return client.get(local_part(back))


@contextmanager
def at_real_time():
    """Inside a test whose clock stands still on another day, sign in at the real time of
    the provider process (its tokens would otherwise be issued "in the future")."""
    if not time_machine.escape_hatch.is_travelling():
        yield
        return
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        yield
