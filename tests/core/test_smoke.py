import pytest

from wulian.core import audit
from wulian.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_home_lists_nothing_waiting_for_a_new_clerk(personas, client_of):
    response = client_of(personas.congress_clerk).get("/")
    assert response.status_code == 200
    assert "暂无待办事项" in response.content.decode()


def test_audit_record_links_each_event_to_the_previous_one(personas):
    first = audit.record(action="test.thing.done", actor=personas.sysadmin)
    second = audit.record(action="test.thing.done", actor=personas.sysadmin)
    assert second.prev_hash == first.hash
    assert second.hash == audit.chain_hash(first.hash, AuditEvent.objects.get(seq=second.seq).body)
