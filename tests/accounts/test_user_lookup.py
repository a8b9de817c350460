"""Every request loads its user by key (django.contrib.auth's ModelBackend.get_user: User.objects.get(pk=id)),
in one query, through the ORM; related managers keep their filters."""
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_by_key_is_one_query_and_a_saveable_user():
    user = UserFactory(role="consultant", first_name="Carla")
    expected = User.objects.filter(pk=user.pk).get()
    with CaptureQueriesContext(connection) as ctx:
        found = User.objects.get(pk=user.pk)
    assert len(ctx.captured_queries) == 1
    assert found == expected and type(found) is User
    assert {f.attname: getattr(found, f.attname) for f in User._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in User._meta.concrete_fields}
    assert found._state.adding is False and found._state.db == "default"
    found.first_name = "Carla Maria"
    found.save()
    assert User.objects.filter(pk=user.pk).get().first_name == "Carla Maria"


def test_a_missing_user_raises_does_not_exist_as_the_orm_does():
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987654321)


def test_related_managers_and_other_lookups_keep_their_filters():
    user, other = UserFactory(), UserFactory()
    group = Group.objects.create(name="revisori")
    group.user_set.add(user)
    assert group.user_set.get(pk=user.pk) == user
    with pytest.raises(User.DoesNotExist):
        group.user_set.get(pk=other.pk)  # not a member: the relation's filter still applies
    assert User.objects.get(email=user.email) == user
    assert User.objects.get(pk=str(user.pk)) == user  # not an int: the ORM converts it as before
