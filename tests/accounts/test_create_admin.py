"""`wulian create_admin`: bootstrapping the three administrators with no default password."""

from __future__ import annotations

import getpass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.accounts.helpers import events, sign_in
from wulian.accounts.models import User
from wulian.core.access import actor_for
from wulian.core.choices import Role
from wulian.core.models import Membership, Organisation

pytestmark = pytest.mark.django_db

GOOD = "Strong-Admin-2026"


@pytest.fixture
def prompt(monkeypatch):
    """Answers for getpass, in order; fails the test if the command asks for more."""
    answers: list[str] = []

    def fake_getpass(prompt: str = "") -> str:
        assert answers, f"unexpected prompt {prompt!r}"
        return answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.delenv("WULIAN_ADMIN_PASSWORD", raising=False)
    return answers


@pytest.fixture
def office(db) -> Organisation:
    return Organisation.objects.create(
        code="RD-BGS", name="市人大常委会办公室", kind="congress_body"
    )


def create_admin(*args: str) -> str:
    out = StringIO()
    call_command("create_admin", *args, stdout=out)
    return out.getvalue()


def args(role: str = "security_admin", username: str = "secadmin", name: str = "钱敏"):
    return ["--role", role, "--username", username, "--name", name, "--org-code", "RD-BGS"]


def test_interactive_creation(prompt, office):
    prompt.extend([GOOD, GOOD])
    output = create_admin(*args())
    assert "secadmin" in output

    user = User.objects.get(username="secadmin")
    assert user.check_password(GOOD)
    assert not user.must_change_password  # typed by the administrator in person
    assert user.password_changed_at is not None
    assert not user.is_superuser and not user.is_staff
    assert user.person.name == "钱敏"
    [seat] = Membership.objects.filter(person=user.person)
    assert (seat.role, seat.organisation, seat.is_active) == (Role.SECURITY_ADMIN, office, True)
    assert actor_for(user).admin_role == Role.SECURITY_ADMIN
    [event] = events("accounts.admin.bootstrapped")
    assert event.actor_id is None and event.target_id == str(user.pk)
    assert GOOD not in str(event.after)


def test_the_new_administrator_must_bind_an_authenticator(prompt, office):
    prompt.extend([GOOD, GOOD])
    create_admin(*args(role="audit_admin", username="auditor", name="冯涛"))
    client, response = sign_in("auditor", GOOD)
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/accounts/second-factor/setup/")


def test_from_the_environment_the_password_must_be_changed_at_first_sign_in(monkeypatch, office):
    monkeypatch.setenv("WULIAN_ADMIN_PASSWORD", GOOD)
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("must not prompt"))
    output = create_admin(*args(role="system_admin", username="sysadmin", name="赵磊"))
    user = User.objects.get(username="sysadmin")
    assert user.check_password(GOOD) and user.must_change_password
    assert "修改密码" in output


def test_the_two_entries_must_match(prompt, office):
    prompt.extend([GOOD, GOOD + "x"])
    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        create_admin(*args())
    assert not User.objects.exists()


def test_an_empty_password_is_refused(prompt, office):
    prompt.extend(["", ""])
    with pytest.raises(CommandError, match="密码不能为空"):
        create_admin(*args())
    assert not User.objects.exists()


@pytest.mark.parametrize("weak", ["short1A", "alllowercaseletters", "password1234"])
def test_a_weak_password_is_refused_by_the_validators(prompt, office, weak):
    prompt.extend([weak, weak])
    with pytest.raises(CommandError, match="密码不符合要求"):
        create_admin(*args())
    assert not User.objects.exists()
    assert not Membership.objects.exists()


def test_a_password_like_the_username_is_refused(prompt, office):
    prompt.extend(["Secadmin-2026", "Secadmin-2026"])
    with pytest.raises(CommandError, match="密码不符合要求"):
        create_admin(*args())


def test_no_person_holds_two_administrator_roles(prompt, office):
    prompt.extend([GOOD, GOOD])
    create_admin(*args(role="system_admin", username="zhaolei", name="赵磊"))
    with pytest.raises(CommandError, match="三员分立"):
        create_admin(*args(role="audit_admin", username="zhaolei", name="赵磊"))
    assert Membership.objects.filter(person__name="赵磊").count() == 1
    assert len(events("accounts.admin.bootstrapped")) == 1


def test_running_it_twice_for_the_same_role_is_refused(prompt, office):
    prompt.extend([GOOD, GOOD])
    create_admin(*args())
    with pytest.raises(CommandError, match="无须重复创建"):
        create_admin(*args())


def test_an_existing_account_gains_the_role_and_keeps_its_password(prompt, personas, office):
    """An account that exists already (for example a clerk becoming auditor) is not re-keyed."""
    clerk = personas.congress_clerk
    output = create_admin(
        *args(role="audit_admin", username="congress_clerk", name=clerk.person.name)
    )
    assert "密码未改动" in output
    clerk.refresh_from_db()
    assert clerk.check_password("Correct-Horse-42x")
    assert actor_for(User.objects.get(pk=clerk.pk)).admin_role == Role.AUDIT_ADMIN


def test_an_existing_account_of_another_person_is_refused(prompt, personas, office):
    with pytest.raises(CommandError, match="不符"):
        create_admin(*args(role="audit_admin", username="congress_clerk", name="别人"))


def test_an_existing_administrator_cannot_gain_a_second_role(prompt, personas, office):
    sysadmin = personas.sysadmin
    with pytest.raises(CommandError, match="三员分立"):
        create_admin(*args(role="security_admin", username="sysadmin", name=sysadmin.person.name))


def test_an_unknown_organisation_is_refused_unless_named(prompt, db):
    prompt.extend([GOOD, GOOD])
    with pytest.raises(CommandError, match="RD-BGS 不存在"):
        create_admin(*args())
    assert not User.objects.exists()

    prompt.extend([GOOD, GOOD])
    create_admin(*args(), "--org-name", "市人大常委会办公室")
    org = Organisation.objects.get(code="RD-BGS")
    assert org.kind == "congress_body" and org.name == "市人大常委会办公室"
    assert len(events("core.organisation.created")) == 1


def test_only_administrator_roles(prompt, office):
    with pytest.raises(CommandError):
        create_admin(*args(role="staff"))


def test_the_account_signs_in(prompt, office):
    prompt.extend([GOOD, GOOD])
    create_admin(*args())
    assert sign_in("secadmin", GOOD)[1].status_code == 302
    assert sign_in("secadmin", "Correct-Horse-42x", client=Client())[1].status_code == 200
