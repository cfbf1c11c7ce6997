"""WeasyPrint reads only the product's own static files (issue 14 item 7): a letter that
names a file elsewhere on the server, or a URL (here a socket listening on 127.0.0.1), is
rendered without them and nothing connects, while our own static CSS and images still render."""

import base64
import socket
import subprocess

import pytest

from tests.factories import RetentionNoticeFactory
from tests.support import pdf_text
from worker.letters import render_pdf
from worker.static_fetcher import static_file

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


@pytest.fixture
def listener():
    """A TCP socket listening on 127.0.0.1 that never answers: anything that connects to it
    is waiting in its backlog, and `connected()` tells."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def connected() -> bool:
        server.setblocking(False)
        try:
            connection, _ = server.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True

    yield server.getsockname()[1], connected
    server.close()


@pytest.fixture
def own_static(settings, tmp_path):
    """A static folder of the product for this test, with a stylesheet and an image."""
    folder = tmp_path / "static"
    (folder / "proef").mkdir(parents=True)
    (folder / "proef" / "brief.css").write_text(
        '.kenmerk::after { content: "OPMAAK-UIT-STATIC"; }')
    (folder / "proef" / "logo.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, folder]
    return folder


@pytest.mark.django_db
def test_a_letter_reads_only_our_static_files(letter_type_from_templates, own_static, listener,
                                              tmp_path):
    port, connected = listener
    secret = tmp_path / "elders" / "geheim.css"
    secret.parent.mkdir()
    secret.write_text('.kenmerk::before { content: "GEHEIM-BESTAND"; }')
    kind = letter_type_from_templates("proef_bronnen", html=f"""
<section class="letter">
  <link rel="stylesheet" href="/static/proef/brief.css">
  <link rel="stylesheet" href="file://{secret}">
  <link rel="stylesheet" href="http://127.0.0.1:{port}/stijl.css">
  <link rel="attachment" href="file:///etc/passwd" title="wachtwoorden">
  <a rel="attachment" href="file://{secret}">bijlage</a>
  <img src="http://127.0.0.1:{port}/pixel.png?naam={{{{ caregiver.last_name }}}}" alt="">
  <img src="/static/proef/logo.png" alt="Logo van het Servicepunt">
  <p class="kenmerk">Beste {{{{ caregiver.first_name }}}},</p>
</section>""")
    letter = RetentionNoticeFactory(kind=kind, caregiver__first_name="Gerrit")
    pdf = render_pdf([letter])
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)

    assert not connected(), "WeasyPrint connected to a local socket"
    text = pdf_text(pdf, tmp_path)
    assert "Beste Gerrit" in text
    assert "OPMAAK-UIT-STATIC" in text  # our own stylesheet still applies
    assert "GEHEIM-BESTAND" not in text
    attachments = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True,
                                 text=True).stdout
    assert "passwd" not in attachments and "geheim" not in attachments, attachments
    assert attachments.startswith("0 embedded files"), attachments
    images = [line.split() for line in subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]]
    assert [row[2] for row in images if row[2] == "image"] == ["image"]  # our logo only


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/x.css",
    "https://example.org/static/css/site.css",
    "data:text/css,body%7Bcolor:red%7D",
    "file:///static/../../etc/passwd",
    "file://otherhost/static/css/site.css",
])
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    assert static_file(url) is None


def test_the_fetcher_serves_our_static_files(settings):
    site_css = settings.BASE_DIR / "static" / "css" / "site.css"
    assert static_file("file:///static/css/site.css") == site_css
    assert static_file(site_css.as_uri()) == site_css
