"""The services of companies' people, firms and mandates: permissions, rules (the last legal
representative, single-use expiring invitations), events and e-mails (sent after the commit)."""
import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from operations.demo import codice_fiscale, partita_iva
from organisations import services
from organisations.models import Company, Invitation, Mandate, Membership, OrganisationEvent, Role
from tests.factories import CompanyFactory, SiteFactory, UserFactory, consultant, firm_with, legal_rep, member

pytestmark = pytest.mark.django_db


def absolute(path):
    return "http://testserver" + path


def new_company(**kw):
    n = Company.objects.count() + 700
    piva = partita_iva(f"{3000000 + n:07d}058")
    return Company(**{"ragione_sociale": f"Nuova {n} S.r.l.", "codice_fiscale": piva, "partita_iva": piva,
                      "codice_ditta": "7654321", "address": "Via Nuova 1", "city": "Roma", "cap": "00100",
                      "province": "RM", **kw})


def link_in(message) -> str:
    return next(word for word in message.body.split() if word.startswith("http://testserver/"))


def test_a_legal_representative_registers_a_company_with_their_codice_fiscale(django_capture_on_commit_callbacks):
    user = UserFactory()
    with pytest.raises(ValidationError):  # no codice fiscale in the profile nor in the form
        services.company_register(user=user, company=new_company(), role=Role.LEGAL_REP, absolute=absolute)
    cf = codice_fiscale("RSSMRA70E17H501")
    company = services.company_register(user=user, company=new_company(), role=Role.LEGAL_REP,
                                        person_codice_fiscale=cf, absolute=absolute)
    user.refresh_from_db()
    assert user.codice_fiscale == cf and company.legal_representative == user and company.legal_rep_confirmed
    assert Membership.objects.get(user=user, company=company).role == Role.LEGAL_REP
    assert OrganisationEvent.objects.filter(company=company, action="company_registered").exists()
    with pytest.raises(ValidationError, match="già registrata"):
        services.company_register(user=UserFactory(), company=new_company(codice_fiscale=company.codice_fiscale),
                                  role=Role.MEMBER, absolute=absolute)


def test_an_employee_registers_the_company_unconfirmed_and_invites_the_legal_representative(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        company = services.company_register(user=user, company=new_company(), role=Role.MEMBER,
                                            legal_rep_email="capo@example.com", absolute=absolute)
    assert not company.legal_rep_confirmed and company.legal_representative is None
    invitation = Invitation.objects.get(company=company)
    assert invitation.role == Role.LEGAL_REP and mail.outbox[-1].to == ["capo@example.com"]


def test_join_request_is_decided_by_the_legal_representative(django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(user=asker, company=company, absolute=absolute)
    assert mail.outbox[-1].to == [rep.email] and f"/richieste/{request.pk}/" in link_in(mail.outbox[-1])
    with pytest.raises(PermissionDenied):
        services.join_request_decide(user=asker, join_request=request, accept=True)
    services.join_request_decide(user=rep, join_request=request, accept=True)
    assert Membership.objects.get(user=asker, company=company).role == Role.MEMBER
    with pytest.raises(ValidationError):
        services.join_request_decide(user=rep, join_request=request, accept=False)


def test_invitations_are_single_use_expire_and_store_only_a_hash(django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(user=rep, company=company, email="Nuovo@Example.com",
                                                role=Role.SIGNATORY, absolute=absolute)
    token = link_in(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 43 and token not in invitation.token_hash and services.invitation_lookup(token) == invitation
    stranger = UserFactory(email="altro@example.com")
    with pytest.raises(ValidationError, match="altro indirizzo"):
        services.invitation_accept(user=stranger, invitation=invitation)
    invited = UserFactory(email="nuovo@example.com")
    services.invitation_accept(user=invited, invitation=invitation)
    assert Membership.objects.get(user=invited, company=company).role == Role.SIGNATORY
    with pytest.raises(ValidationError, match="già stato utilizzato"):
        services.invitation_accept(user=invited, invitation=invitation)
    late = services.invitation_create(user=rep, company=company, email="tardi@example.com", absolute=absolute)
    Invitation.objects.filter(pk=late.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    late.refresh_from_db()
    with pytest.raises(ValidationError, match="scaduto"):
        services.invitation_accept(user=UserFactory(email="tardi@example.com"), invitation=late)
    with pytest.raises(PermissionDenied):  # only legal representatives invite
        services.invitation_create(user=invited, company=company, email="x@example.com", absolute=absolute)


def test_a_revoked_invitation_cannot_be_accepted():
    company = SiteFactory().company
    rep = legal_rep(company)
    invitation = services.invitation_create(user=rep, company=company, email="r@example.com", absolute=absolute)
    services.invitation_revoke(user=rep, invitation=invitation)
    with pytest.raises(ValidationError, match="revocato"):
        services.invitation_accept(user=UserFactory(email="r@example.com"), invitation=invitation)


def test_the_last_legal_representative_cannot_leave_or_be_removed():
    company = SiteFactory().company
    rep = legal_rep(company)
    clerk = member(company)
    own = Membership.objects.get(user=rep, company=company)
    with pytest.raises(ValidationError, match="ultimo legale rappresentante"):
        services.membership_remove(user=rep, membership=own)
    with pytest.raises(PermissionDenied):  # a member cannot remove others
        services.membership_remove(user=clerk, membership=own)
    second = member(company, role=Role.LEGAL_REP)
    services.membership_remove(user=second, membership=own)  # now it can be removed
    company.refresh_from_db()
    assert company.legal_representative == second
    services.membership_remove(user=clerk, membership=Membership.objects.get(user=clerk))  # leaving
    assert list(company.memberships.values_list("user", flat=True)) == [second.pk]
    assert OrganisationEvent.objects.filter(company=company, action="member_left").exists()


def test_events_are_append_only():
    event = services.record(actor=None, action="x", code="join_requested", who="y", company=CompanyFactory())
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_a_granted_mandate_to_a_firm_reaches_its_consultants_and_is_revoked_with_its_history(django_capture_on_commit_callbacks):
    site = SiteFactory()
    company = site.company
    rep = legal_rep(company)
    colleague = UserFactory(role=User.Role.CONSULTANT)
    firm = firm_with(colleague)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        mandate = services.mandate_grant(user=rep, company=company, firm=firm, start_date=today, end_date=None,
                                         can_submit=False, absolute=absolute)
    assert colleague.email in mail.outbox[-1].to
    assert colleague.has_perm("applications.view_company", site)
    assert mandate.granted_by == rep and mandate.status == Mandate.Status.ACTIVE
    services.mandate_revoke(user=rep, mandate=mandate)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.REVOKED and mandate.revoked_by == rep and mandate.granted_by == rep
    fresh = User.objects.get(pk=colleague.pk)
    assert not fresh.has_perm("applications.view_company", site)


def test_a_requested_mandate_is_approved_or_refused_by_the_legal_representative(django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    adviser = consultant()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        mandate = services.mandate_request(user=adviser, company=company, start_date=today,
                                           end_date=today + dt.timedelta(days=365), absolute=absolute)
    assert mail.outbox[-1].to == [rep.email] and f"/deleghe/{mandate.pk}/" in link_in(mail.outbox[-1])
    assert not adviser.has_perm("applications.view_company", company)
    with pytest.raises(PermissionDenied):
        services.mandate_decide(user=adviser, mandate=mandate, accept=True)
    services.mandate_decide(user=rep, mandate=mandate, accept=True)
    assert User.objects.get(pk=adviser.pk).has_perm("applications.view_company", company)
    with pytest.raises(ValidationError):
        services.mandate_decide(user=rep, mandate=mandate, accept=False)
    with pytest.raises(PermissionDenied):  # only consultants ask
        services.mandate_request(user=rep, company=company, start_date=today, end_date=None, absolute=absolute)


def test_a_consultant_registers_a_new_client_whose_legal_representative_confirms(django_capture_on_commit_callbacks):
    adviser = consultant()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        mandate = services.client_register(user=adviser, company=new_company(), legal_rep_email="lr@example.com",
                                           start_date=today, end_date=None, absolute=absolute)
    company = mandate.company
    assert mandate.status == Mandate.Status.PENDING and not company.legal_rep_confirmed
    assert adviser.has_perm("applications.view_company", company)  # prepares drafts meanwhile
    token = link_in(mail.outbox[-1]).rstrip("/").rsplit("/", 1)[1]
    invitation = services.invitation_lookup(token)
    person = UserFactory(email="lr@example.com")
    with pytest.raises(ValidationError, match="dichiarazione"):
        services.invitation_accept(user=person, invitation=invitation)
    services.invitation_accept(user=person, invitation=invitation, declared=True,
                               person_codice_fiscale=codice_fiscale("VRDLGU80A01F205"), confirm_mandate=True)
    company.refresh_from_db()
    mandate.refresh_from_db()
    assert company.legal_rep_confirmed and company.legal_representative == person
    assert mandate.status == Mandate.Status.ACTIVE and mandate.granted_by == person
    with pytest.raises(ValidationError, match="già registrata"):
        services.client_register(user=adviser, company=new_company(codice_fiscale=company.codice_fiscale),
                                 legal_rep_email="x@example.com", start_date=today, end_date=None, absolute=absolute)


def test_a_mandate_goes_to_exactly_one_holder():
    from django.db import IntegrityError

    company = CompanyFactory()
    with pytest.raises(IntegrityError):
        Mandate.objects.create(company=company, start_date=timezone.localdate())


def test_firm_owner_invites_colleagues_and_cannot_leave_last():
    owner = consultant()
    firm = firm_with(owner=owner)
    invitation = services.invitation_create(user=owner, firm=firm, email="collega@example.com", absolute=absolute)
    colleague = UserFactory(email="collega@example.com", role=User.Role.CONSULTANT)
    services.invitation_accept(user=colleague, invitation=invitation)
    assert firm.memberships.filter(user=colleague, is_owner=False).exists()
    with pytest.raises(PermissionDenied):
        services.invitation_create(user=colleague, firm=firm, email="y@example.com", absolute=absolute)
    with pytest.raises(ValidationError, match="ultimo titolare"):
        services.firm_member_remove(user=owner, membership=firm.memberships.get(user=owner))
