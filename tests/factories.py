"""factory_boy factories for the portal's models, with valid Italian identifiers."""
import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from applications.demo import codice_fiscale, partita_iva
from applications.models import PAT, Campaign, Company, Mandate, Membership, Site
from interventions.models import Edition

DEFAULT_PASSWORD = "pw-Test-12345"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Utente"
    last_name = factory.Sequence(lambda n: f"Prova{n}")
    role = User.Role.COMPANY
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    ragione_sociale = factory.Sequence(lambda n: f"Azienda {n} S.r.l.")
    codice_fiscale = factory.Sequence(lambda n: partita_iva(f"{1000000 + n:07d}058"))
    partita_iva = factory.LazyAttribute(lambda o: o.codice_fiscale)
    codice_ditta = factory.Sequence(lambda n: f"{9000000 + n}")
    matricola_inps = "12345678"
    address = "Via Roma 1"
    city = "Roma"
    cap = "00100"
    province = "RM"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Unità {n}")
    address = "Via dell'Industria 1"
    city = "Roma"
    cap = "00138"
    province = "RM"
    codice_sede = "01"
    workers = 12
    sector = "costruzioni"


class PATFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PAT

    site = factory.SubFactory(SiteFactory)
    number = factory.Sequence(lambda n: f"{50000000 + n}")
    voce_di_tariffa = "3110"
    lavoratori_anno = Decimal("11.50")
    premium = Decimal("48000")


def open_campaign() -> Campaign:
    year = timezone.localdate().year + 1
    return Campaign.objects.get_or_create(filing_year=year, defaults={"edition": Edition.objects.get(code="ot24")})[0]


def member(company, **kwargs) -> User:
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, company=company)
    return user


def legal_rep(company) -> User:
    user = member(company, codice_fiscale=codice_fiscale("RSSMRA70E17H501"))
    company.legal_representative = user
    company.save()
    return user


def consultant(company=None, *, start_days_ago=30, end_days_ago=None) -> User:
    user = UserFactory(role=User.Role.CONSULTANT)
    if company is not None:
        today = timezone.localdate()
        Mandate.objects.create(
            consultant=user, company=company, start_date=today - dt.timedelta(days=start_days_ago),
            end_date=None if end_days_ago is None else today - dt.timedelta(days=end_days_ago),
        )
    return user
