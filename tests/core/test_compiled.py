"""Reads whose SQL the ORM builds once (core.compiled): the same rows as the ORM's queryset for
every value, joined relations and deferred fields included; one query each; a statement whose
SQL depends on its values is refused."""

from __future__ import annotations

import pytest
from django.db.models import Q

from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory
from wulian.core import compiled
from wulian.core.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def seats():
    orgs = [OrganisationFactory(short_name="") for _ in range(3)]
    people = [PersonFactory() for _ in range(4)]
    rows = []
    for i, p in enumerate(people):
        for org in orgs[: i % 3 + 1]:
            rows.append(MembershipFactory(person=p, organisation=org, is_active=i != 2))
    return orgs, people, rows


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _memberships(org: int):
    return (
        Membership.objects.filter(organisation_id=org)
        .select_related("person", "organisation")
        .order_by("-id")
    )


def test_model_instances_are_the_orms_with_their_joined_relations(seats, django_assert_num_queries):
    orgs, _people, _rows = seats
    for org in orgs:
        expected = list(_memberships(org.pk))
        with django_assert_num_queries(1):
            got = compiled.objects("test.memberships", _memberships, org=org.pk)
        assert [_fields(m) for m in got] == [_fields(m) for m in expected]
        with django_assert_num_queries(0):  # the joined rows are on the instances
            assert [_fields(m.person) for m in got] == [_fields(m.person) for m in expected]
            assert [m.organisation.name for m in got] == [m.organisation.name for m in expected]
        assert all(not m._state.adding and m._state.db == "default" for m in got)
    assert compiled.objects("test.memberships", _memberships, org=999_999) == []


def test_lists_strings_and_deferred_fields(seats):
    _orgs, people, _rows = seats

    def build(people: list[int], name: str):
        return (
            Person.objects.filter(Q(pk__in=people) | Q(name=name)).only("id", "name").order_by("id")
        )

    for chosen in ([], [people[0].pk], [p.pk for p in people[1:]]):
        for name in (people[3].name, "nobody"):
            expected = list(build(chosen, name))
            got = compiled.objects("test.people", build, people=chosen, name=name)
            assert [(p.pk, p.name) for p in got] == [(p.pk, p.name) for p in expected]
            assert all(
                p.get_deferred_fields() == e.get_deferred_fields()
                for p, e in zip(got, expected, strict=True)
            )


def test_rows_of_a_values_list(seats):
    orgs, _people, _rows = seats

    def build(ids: list[int]):
        return Organisation.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")

    for ids in ([orgs[0].pk], [o.pk for o in orgs], [orgs[2].pk, 999_999]):
        assert compiled.rows("test.orgs", build, ids=ids) == list(build(ids))


def test_a_statement_that_depends_on_its_values_is_refused(db):
    with pytest.raises(ValueError, match="depends on its values"):
        compiled.objects("test.limit", lambda n: Person.objects.order_by("id")[:n], n=3)
    with pytest.raises(TypeError):
        compiled.objects("test.none", lambda pk: Person.objects.filter(pk=pk), pk=None)
    with pytest.raises(ValueError, match="values_list"):
        compiled.rows("test.objects", lambda pk: Person.objects.filter(pk=pk), pk=1)
