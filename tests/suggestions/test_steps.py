"""The suggestion steps declared once (suggestions/steps.py): the page and the API take the same
form to the same service — the reply's letter travels through the API too, propose has its API
door, the contact's deputy is still the API's choice, the unmerge form is read under either of
the page's prefixes, and an assignment's step is a 404 to who does not see its suggestion."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.suggestions.helpers import add_co_signer, co_signer, v, walk
from tests.suggestions.test_merging import merge, other_deputy_suggestion
from wulian.core.models import Person
from wulian.suggestions.choices import SuggestionStatus as S
from wulian.suggestions.models import AssignmentBatch, Contact, Suggestion

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _json(client, url: str, data: dict):
    return client.post(
        url,
        json.dumps(data, default=str),
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )


def test_a_reply_through_the_api_carries_its_letter_as_multipart(
    personas, client_of, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    p = personas
    s = walk(p, S.HANDLING)
    r = client_of(p.unit_a).post(
        reverse("suggestions_api:suggestion-reply", args=[s.pk]),
        {
            "version": v(s),
            "category": "A",
            "signer": "张局长",
            "text": "已增设站点。",
            "files": [SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")],
        },
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "answered"
    (letter,) = body["replies"][0]["attachments"]
    assert letter["file_name"] == "答复函.pdf"
    download = client_of(p.deputy).get(letter["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_suggestion_is_proposed_for_assignment_through_the_api_as_on_its_page(
    personas, client_of
):
    p = personas
    s = walk(p, S.ACCEPTED)
    url = reverse("suggestions_api:suggestion-propose", args=[s.pk])
    data = {
        "version": v(s),
        "lead_unit": p.orgs["unit_a"].pk,
        "co_units": [p.orgs["unit_b"].pk],
        "note": "请会签",
    }
    assert _json(client_of(p.unit_a), url, data).status_code == 403
    r = _json(client_of(p.congress_clerk), url, data)
    assert r.status_code == 200, r.content
    assert r.json()["id"] == s.pk
    batch = AssignmentBatch.objects.get()
    assert batch.state == "proposed" and batch.note == "请会签"
    assert batch.items[0]["suggestion"] == s.pk
    assert batch.items[0]["lead"] == p.orgs["unit_a"].pk


def test_the_api_records_a_contact_with_a_co_signer(personas, client_of):
    p = personas
    s = walk(p, S.HANDLING)
    second = Person.objects.get(user=co_signer(p))
    add_co_signer(s, second)
    r = _json(
        client_of(p.unit_a),
        reverse("suggestions_api:suggestion-contact", args=[s.pk]),
        {
            "method": "phone",
            "contacted_at": timezone.now(),
            "agreed": "电话联系附议代表",
            "deputy": second.pk,
        },
    )
    assert r.status_code == 200, r.content
    assert Contact.objects.filter(suggestion=s).latest("id").deputy_id == second.pk
    r = _json(
        client_of(p.unit_a),
        reverse("suggestions_api:suggestion-contact", args=[s.pk]),
        {"method": "phone", "contacted_at": timezone.now(), "agreed": "x", "deputy": 10**9},
    )
    assert r.status_code == 400 and "deputy" in r.json()["errors"]


def test_a_merged_suggestion_is_split_from_its_primarys_page(personas, client_of):
    p = personas
    primary = walk(p, S.ACCEPTED)
    other, _user = other_deputy_suggestion(p)
    merge(p, primary, other, who="gov_supervisor")
    r = client_of(p.congress_clerk).post(
        reverse("suggestions:suggestion_unmerge", args=[other.pk]),
        {f"m{other.pk}-version": v(other)},
    )
    assert r.status_code == 302
    assert Suggestion.objects.get(pk=other.pk).merged_into_id is None


def test_an_assignment_step_is_a_404_to_who_does_not_see_the_suggestion(personas, client_of):
    p = personas
    s = walk(p, S.ASSIGNED)
    a = s.assignments.get(unit=p.orgs["unit_a"])
    page = client_of(p.court_clerk).post(
        reverse("suggestions:assignment_receive", args=[a.pk]), {f"a{a.pk}-version": a.version}
    )
    api = _json(
        client_of(p.court_clerk),
        reverse("suggestions_api:assignment-receive", args=[a.pk]),
        {"version": a.version},
    )
    assert page.status_code == api.status_code == 404
    # Who sees the suggestion but is not the assigned unit is refused.
    api = _json(
        client_of(p.unit_b),
        reverse("suggestions_api:assignment-receive", args=[a.pk]),
        {"version": a.version},
    )
    assert api.status_code == 403


def test_the_api_schema_of_the_steps_is_their_forms(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    reply = schema["paths"]["/api/v1/suggestions/{id}/reply/"]["post"]["requestBody"]["content"]
    assert set(reply) == {"application/json", "multipart/form-data"}
    body = reply["application/json"]["schema"]
    assert set(body["required"]) == {"category", "signer", "text"}
    assert {"version", "public_text", "face_to_face"} <= set(body["properties"])
    withdraw = schema["paths"]["/api/v1/suggestions/{id}/withdraw/"]["post"]
    body = withdraw["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["statement"] and "version" in body["properties"]
    assert body["properties"]["letter_date"]["format"] == "date"
    send_back = schema["paths"]["/api/v1/suggestion-assignments/{id}/send-back/"]["post"]
    assert "reason" in send_back["requestBody"]["content"]["application/json"]["schema"]["required"]
