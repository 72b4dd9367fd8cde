"""Factories for the core records. Tests build what they need; there are no fixture files."""

from __future__ import annotations

import factory
from django.utils import timezone

from wulian.accounts.models import User
from wulian.core.choices import OrgKind, Role
from wulian.core.models import DeputyProfile, ExpertProfile, Membership, Organisation, Person

PASSWORD = "Correct-Horse-42x"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrgKind.HANDLING_UNIT
    code = factory.Sequence(lambda n: f"ORG{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:8])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


class DeputyProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeputyProfile

    person = factory.SubFactory(PersonFactory)
    certificate_no = factory.Sequence(lambda n: f"HS15-{n:04d}")


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    person = factory.SubFactory(PersonFactory)
    category = "lawyer"
    specialties = factory.LazyFunction(lambda: ["民事"])


def account(org: Organisation, role: str, *, username: str | None = None, **person) -> User:
    """A user with a person holding one membership."""
    user = UserFactory(**({"username": username} if username else {}))
    p = PersonFactory(user=user, **person)
    MembershipFactory(person=p, organisation=org, role=role)
    return user
