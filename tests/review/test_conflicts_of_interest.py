"""Issue 28, finding 6: a reviewer asked to join a company, was accepted, then took, verified and approved
its application. INAIL staff are nobody's people nor consultants (they cannot join, be invited, ask to
join a company or firm, nor receive a mandate), and nobody takes, is assigned, judges or decides an
application of a company they have or had any tie to: membership, legal representation, a join request
or an invitation, a mandate to them or to a firm of theirs, in any state, now or in the past."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from interventions.models import Intervention
from organisations import services as organisations
from organisations.models import FirmMembership, Mandate, Membership
from review import services as review
from review.rules import can_take_application
from tests.factories import (ApplicationFactory, PATFactory, SiteFactory, UserFactory, consultant, firm_with,
                             legal_rep, mandate)

pytestmark = pytest.mark.django_db


def absolute(path):
    return "http://testserver" + path


def code(c):
    return Intervention.objects.get(code=c, section__edition__code="ot24")


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    """A submitted application: A6 (50, no evidence) + C4 (40) + D4 (50) = 140 declared, costruzioni."""
    site = SiteFactory(sector="costruzioni", workers=12)
    PATFactory(site=site, lavoratori_anno="8.00")
    with django_capture_on_commit_callbacks(execute=True):
        app = ApplicationFactory(submitted=True, site=site, sections={"A": ["A6"], "C": ["C4"], "D": ["D4"]}, evidence=True)
    return app, app.created_by


def reviewer(**kw):
    return UserFactory(role=User.Role.REVIEWER, **kw)


def test_the_attack_a_reviewer_joins_the_company_then_takes_and_approves_its_application(client, submitted):
    app, rep = submitted
    insider = reviewer()
    with pytest.raises((ValidationError, PermissionDenied)):
        organisations.join_request_create(user=insider, company=app.site.company, absolute=absolute)
    client.force_login(insider)
    client.post(reverse("company_join"), {"codice_fiscale": app.site.company.codice_fiscale})
    assert not app.site.company.join_requests.exists()

    # A tie made before the rule (or by hand in the admin) still keeps the reviewer out.
    Membership.objects.create(user=insider, company=app.site.company)
    assert not can_take_application(insider, app)
    client.post(reverse("review_take", args=[app.pk]))
    app.refresh_from_db()
    assert app.reviewer is None and app.status == Application.Status.SUBMITTED
    assert "Prendi in carico" not in client.get(reverse("review_detail", args=[app.pk])).content.decode()


def test_a_tied_reviewer_is_neither_assigned_nor_judges_nor_decides(client, submitted):
    app, rep = submitted
    insider = reviewer()
    review.review_take(user=insider, application=app)  # no tie yet: the review starts
    Membership.objects.create(user=insider, company=app.site.company)  # then a tie appears
    with pytest.raises(PermissionDenied):
        review.verdict_record(user=insider, application=app, intervention=code("A6"), outcome="idoneo")
    with pytest.raises(PermissionDenied):
        review.note_add(user=insider, application=app, message="ok")
    with pytest.raises(PermissionDenied):
        review.clarification_request(user=insider, application=app, request="Inviare il verbale",
                                     interventions=[code("C4")], deadline=timezone.localdate())
    with pytest.raises(PermissionDenied):
        review.review_decide(user=insider, application=app)
    client.force_login(insider)
    client.post(reverse("review_detail", args=[app.pk]), {"action": "verdict", "intervention": code("A6").pk,
                                                          "outcome": "idoneo"})
    assert not app.verdicts.exists()

    supervisor = UserFactory(role=User.Role.SUPERVISOR)
    Application.objects.filter(pk=app.pk).update(reviewer=None)
    with pytest.raises(ValidationError):
        review.review_assign(user=supervisor, applications=[app], reviewer=insider)
    app.refresh_from_db()
    assert app.reviewer is None


@pytest.mark.parametrize("tie", ["member_who_left", "legal_representative", "join_request", "own_mandate_expired",
                                 "firm_mandate_revoked", "requested_mandate_refused", "site_mandate"])
def test_every_tie_past_or_present_keeps_the_reviewer_out(submitted, tie):
    app, rep = submitted
    company = app.site.company
    person = UserFactory()
    if tie == "member_who_left":  # joined through a request, then left
        request = organisations.join_request_create(user=person, company=company, absolute=absolute)
        organisations.join_request_decide(user=rep, join_request=request, accept=True)
        organisations.membership_remove(user=person, membership=Membership.objects.get(user=person, company=company))
    elif tie == "legal_representative":
        company.legal_representative = person
        company.save()
    elif tie == "join_request":
        organisations.join_request_create(user=person, company=company, absolute=absolute)
    else:
        person.role = User.Role.CONSULTANT
        person.save()
        if tie == "own_mandate_expired":
            mandate(company, consultant=person, start_days_ago=400, end_days_ago=30)
        elif tie == "firm_mandate_revoked":  # a colleague's firm, left since
            firm = firm_with(person)
            mandate(company, firm=firm, status=Mandate.Status.REVOKED)
            FirmMembership.objects.filter(user=person).delete()
            organisations.record(firm=firm, actor=person, action="member_left", code="firm_left", who=person.email)
        elif tie == "requested_mandate_refused":
            organisations.mandate_request(user=person, company=company, start_date=timezone.localdate(), end_date=None,
                                          absolute=absolute)
            Mandate.objects.filter(company=company).update(status=Mandate.Status.REFUSED)
        elif tie == "site_mandate":  # a mandate for another site of the company
            mandate(company, consultant=person, sites=[SiteFactory(company=company)])
    person.role = User.Role.REVIEWER  # now INAIL staff
    person.save()
    person = User.objects.get(pk=person.pk)
    assert not can_take_application(person, app)
    with pytest.raises(PermissionDenied):
        review.review_take(user=person, application=app)
    with pytest.raises(ValidationError):
        review.review_assign(user=UserFactory(role=User.Role.SUPERVISOR), applications=[app], reviewer=person)
    assert can_take_application(reviewer(), app)  # an untied colleague takes it


def test_staff_are_nobodys_people_nor_consultants(django_capture_on_commit_callbacks):
    site = SiteFactory()
    company = site.company
    rep = legal_rep(company)
    for role in (User.Role.REVIEWER, User.Role.SUPERVISOR):
        staff = UserFactory(role=role)
        with pytest.raises(ValidationError):  # invited to the company
            organisations.invitation_create(user=rep, company=company, email=staff.email, absolute=absolute)
        with pytest.raises((ValidationError, PermissionDenied)):  # a mandate by name
            organisations.mandate_grant(user=rep, company=company, consultant=staff, start_date=timezone.localdate(),
                                        end_date=None, absolute=absolute)
        # An invitation sent before the person became staff cannot be accepted now.
        staff.role = User.Role.COMPANY
        staff.save()
        invitation = organisations.invitation_create(user=rep, company=company, email=staff.email, absolute=absolute)
        request = organisations.join_request_create(user=staff, company=company, absolute=absolute)
        staff.role = role
        staff.save()
        with pytest.raises(ValidationError):
            organisations.invitation_accept(user=staff, invitation=invitation)
        with pytest.raises(ValidationError):  # a request made before cannot be accepted either
            organisations.join_request_decide(user=rep, join_request=request, accept=True)
        assert not Membership.objects.filter(user=staff).exists()
    firm = firm_with()
    owner = firm.memberships.get().user
    staff = reviewer()
    with pytest.raises(ValidationError):
        organisations.invitation_create(user=owner, firm=firm, email=staff.email, absolute=absolute)
    # A firm with a member who has become staff receives no mandate.
    FirmMembership.objects.create(firm=firm, user=staff)
    with pytest.raises((ValidationError, PermissionDenied)):
        organisations.mandate_grant(user=rep, company=company, firm=firm, start_date=timezone.localdate(), end_date=None,
                                    absolute=absolute)


def test_the_admin_refuses_staff_as_company_people_or_consultants(admin_client):
    company = SiteFactory().company
    staff = reviewer()
    for obj in (Membership(user=staff, company=company), FirmMembership(user=staff, firm=firm_with()),
                Mandate(company=company, consultant=staff, start_date=timezone.localdate(), all_sites=True)):
        with pytest.raises(ValidationError):
            obj.full_clean()
    company.legal_representative = staff
    with pytest.raises(ValidationError):
        company.full_clean()
    assert consultant()  # consultants stay welcome
