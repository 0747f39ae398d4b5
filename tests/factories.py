"""factory-boy factories for the foundation models; apps add theirs in their test packages."""

import factory
from allauth.account.models import EmailAddress

from apps.accounts.models import User
from apps.tenants.models import Membership, Tenant
from apps.tenants.roles import Role

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class TenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenant

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    currency = "EUR"
    time_zone = "Europe/Paris"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    tenant = factory.SubFactory(TenantFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


def verified_user(email: str, *, password: str = DEFAULT_PASSWORD, **fields) -> User:
    """A user whose login email is verified (as after allauth's confirmation): the one helper for
    every test that needs a user who can sign in."""
    user = UserFactory(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user
