"""Pages that are complete for a browser and a validator: a favicon, a meta description on
every public page, and no ARIA attribute where HTML does not allow one."""

import datetime
import html.parser
import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.support import caregiver_details, request_data, submit

PUBLIC = ["/", "/aanmelden", "/waardering", "/zwemkaartjes", "/mijn-gegevens/inloggen",
          "/privacy", "/toegankelijkheid", "/backoffice/inloggen/", "/bestaat-niet"]


class Head(html.parser.HTMLParser):
    """The meta description and icon links of a page; spans with an aria-label."""

    def __init__(self):
        super().__init__()
        self.descriptions, self.icons, self.labelled_spans = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name") == "description":
            self.descriptions.append(attrs.get("content", ""))
        if tag == "link" and "icon" in (attrs.get("rel") or "").split():
            self.icons.append(attrs.get("href"))
        if tag == "span" and "aria-label" in attrs and "role" not in attrs:
            self.labelled_spans.append(attrs)


def parsed(page: str) -> Head:
    head = Head()
    head.feed(page)
    return head


@pytest.mark.django_db
def test_the_favicon_is_a_real_icon_served_from_the_site(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC)
def test_every_public_page_has_a_dutch_description_and_the_icon(client, path):
    page = client.get(path, follow=True).content.decode()
    head = parsed(page)
    [description] = head.descriptions
    assert 40 <= len(description) <= 160, description  # what search results show
    assert "mantelzorg" in description.lower()
    assert head.icons == ["/favicon.ico"]


@pytest.mark.django_db
def test_the_main_pages_each_describe_themselves(client):
    descriptions = {path: parsed(client.get(path, follow=True).content.decode()).descriptions[0]
                    for path in ("/", "/aanmelden", "/privacy",
                                 "/toegankelijkheid", "/mijn-gegevens/inloggen")}
    assert len(set(descriptions.values())) == len(descriptions), descriptions


@pytest.mark.django_db
def test_the_waardering_detail_page_has_no_aria_label_on_a_plain_span(
        client, waardering_year, login_fully):
    login_fully(client, "consulent")
    request = submit(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1950, 1, 1))))
    page = client.get(reverse("appreciation:review_detail", args=[request.pk])).content.decode()
    assert parsed(page).labelled_spans == []
    # A screen reader still hears which account it is, without the dots.
    assert '<span class="visually-hidden">Rekeningnummer eindigend op 4300</span>' in page
    assert '<span aria-hidden="true">••••••••••••••4300</span>' in page
