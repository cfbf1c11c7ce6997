"""The bank file carries only the SEPA basic Latin set: names are converted with the EPC
table when the file is made, the finished file is checked before it is stored, and the
names stay as typed everywhere else."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from appreciation.models import AppreciationRequest, PaymentBatch, PayoutForm
from appreciation.waardering import payouts
from core.sepa_text import ALLOWED
from registrations.models import Caregiver
from tests.support import approved

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day", "media")]


@pytest.fixture
def celik_and_hof(consulent):
    celik, hof = approved(consulent, 1), approved(consulent, 2)
    Caregiver.objects.filter(pk=celik.caregiver_id).update(first_name="Ayşe", last_name="Çelik")
    AppreciationRequest.objects.filter(pk=celik.pk).update(account_holder="")
    AppreciationRequest.objects.filter(pk=hof.pk).update(account_holder="Hof & Zn")
    return celik, hof


def test_the_bank_file_has_the_names_converted_and_validates(waardering_year, coordinator,
                                                            celik_and_hof, settings):
    settings.PAYOUT_ACCOUNT = {**settings.PAYOUT_ACCOUNT,
                               "name": "Servicepunt Mantelzorg & Welzijn"}
    celik, hof = celik_and_hof
    batch = payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    xml = batch.export.read()
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode())
    root = ET.fromstring(xml)
    creditors = {node.findtext("p:PmtId/p:EndToEndId", namespaces=NS):
                 node.findtext("p:Cdtr/p:Nm", namespaces=NS)
                 for node in root.iter(f"{{{NS['p']}}}CdtTrfTxInf")}
    assert creditors == {celik.end_to_end_id: "Ayse Celik", hof.end_to_end_id: "Hof + Zn"}
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty/p:Nm", namespaces=NS) == \
        "Servicepunt Mantelzorg + Welzijn"
    text = xml.decode("utf-8")
    body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
    for node in ET.fromstring(xml).iter():
        assert set(node.text or "") <= ALLOWED | {"\n", "\t"}, node.text
    assert "&amp;" not in body and "Ç" not in body

    # Everywhere else the names are as typed: the person, the request and the CSV.
    assert Caregiver.objects.get(pk=celik.caregiver_id).full_name.endswith("Çelik")
    assert AppreciationRequest.objects.get(pk=hof.pk).account_holder == "Hof & Zn"
    csv_text = payouts.batch_csv(batch).decode("utf-8-sig")
    assert "Ayşe Çelik" in csv_text and "Hof & Zn" in csv_text


def test_a_file_with_a_character_outside_the_set_is_not_stored(waardering_year, coordinator,
                                                              celik_and_hof, monkeypatch):
    # As if the conversion missed a character: the check before storing catches it.
    monkeypatch.setattr(payouts, "to_sepa_text", lambda text, length=None: text)
    with pytest.raises(payouts.PaymentFileInvalid) as refused:
        payouts.create_payment_batch(waardering_year, PayoutForm.BANK, coordinator)
    assert "U+0026" in str(refused.value) and "U+00C7" in str(refused.value)
    assert not PaymentBatch.objects.exists()
    assert set(AppreciationRequest.objects.values_list("state", flat=True)) == {"goedgekeurd"}


def test_the_check_reads_text_and_attributes_not_the_markup():
    payouts.check_sepa_characters(b'<?xml version="1.0"?><a x="EUR"><b>Hof + Zn</b></a>')
    with pytest.raises(payouts.PaymentFileInvalid):
        payouts.check_sepa_characters(b'<a x="E&#252;R"><b>ok</b></a>')
    with pytest.raises(payouts.PaymentFileInvalid):
        payouts.check_sepa_characters(b"<a><b>Hof &amp; Zn</b></a>")


def test_the_schema_check_refuses_broken_or_foreign_xml_and_reads_no_files():
    # Not XML at all, XML of another kind, and a file that asks to include a local file:
    # each is refused before anything is stored, with the parser's or schema's own words
    # (where it went wrong) for the administrator, and no file is ever read.
    for xml, words in ((b"<Document", "line 1"), (b"<a>not a payment file</a>", "'a'"),
                       (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]><d>&x;</d>', "Entity 'x'")):
        with pytest.raises(payouts.PaymentFileInvalid) as refused:
            payouts.validate_sepa(xml)
        assert words in str(refused.value) and "root:" not in str(refused.value)
