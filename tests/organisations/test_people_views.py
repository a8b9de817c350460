"""The pages of companies, people, firms and mandates with the test client: what each person sees and
does, Italian errors next to the fields with the input kept, clear pages for used or expired links."""
import datetime as dt
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from operations.demo import codice_fiscale, partita_iva
from organisations.models import Company, Invitation, Mandate, Membership, OrganisationEvent, Role
from tests.factories import SiteFactory, UserFactory, consultant, firm_with, legal_rep, member

pytestmark = pytest.mark.django_db

PIVA = partita_iva("0712345058")
COMPANY = {"ragione_sociale": "Officine Blu S.r.l.", "codice_fiscale": PIVA, "partita_iva": PIVA,
           "codice_ditta": "7654321", "address": "Via Blu 1", "city": "Torino", "cap": "10100", "province": "to"}


def body(response) -> str:
    return html.unescape(response.content.decode())


def link_in(message) -> str:
    word = next(w for w in message.body.split() if w.startswith("http://testserver/"))
    return word.removeprefix("http://testserver")


def test_a_legal_representative_registers_their_company(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    url = reverse("company_register")
    assert client.get(url).status_code == 200
    bad = client.post(url, {**COMPANY, "partita_iva": "12345678901", "declared_role": Role.LEGAL_REP})
    page = body(bad)
    assert bad.status_code == 200 and "Partita IVA non valida" in page and "La dichiarazione è obbligatoria." in page
    assert "Il legale rappresentante deve indicare il proprio codice fiscale." in page
    assert 'value="Officine Blu S.r.l."' in page  # nothing lost
    response = client.post(url, {**COMPANY, "declared_role": Role.LEGAL_REP, "declaration": "on",
                                 "person_codice_fiscale": codice_fiscale("BNCGLI80A41H501")})
    company = Company.objects.get(codice_fiscale=PIVA)
    assert response.status_code == 302 and response.url == reverse("company_detail", args=[company.pk])
    assert company.legal_representative == user and company.legal_rep_confirmed and company.province == "TO"
    page = body(client.get(response.url))
    assert "Concedi una delega" in page and "Storico" in page and "Invita una persona" in page


def test_an_existing_company_cannot_be_registered_twice_the_user_asks_to_join(client, django_capture_on_commit_callbacks):
    site = SiteFactory(company__codice_fiscale=PIVA, company__partita_iva=PIVA)
    rep = legal_rep(site.company)
    user = UserFactory()
    client.force_login(user)
    page = body(client.post(reverse("company_register"), {**COMPANY, "declared_role": Role.MEMBER, "declaration": "on"}))
    assert "è già registrata nel portale" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("company_join"), {"codice_fiscale": PIVA}).status_code == 302
    assert mail.outbox[-1].to == [rep.email]
    decide = link_in(mail.outbox[-1])
    assert client.get(decide).status_code == 404  # not theirs to decide
    client.force_login(rep)
    assert "chiede di far parte" in body(client.get(decide))
    client.post(decide, {"decision": "accept"})
    assert Membership.objects.get(user=user, company=site.company).role == Role.MEMBER


def test_invitation_link_leads_to_login_then_accepts_for_the_invited_address(client, django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    client.force_login(rep)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("company_invite", args=[company.pk]), {"email": "nuova@example.com", "role": Role.SIGNATORY})
    link = link_in(mail.outbox[-1])
    client.logout()
    anonymous = body(client.get(link))
    assert "accedi oppure registrati" in anonymous  # the same page whether the address is registered or not
    other = UserFactory(email="altra@example.com")
    client.force_login(other)
    wrong = client.get(link)
    assert wrong.status_code == 403 and "un altro indirizzo e-mail" in body(wrong)
    invited = UserFactory(email="nuova@example.com")
    client.force_login(invited)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=invited, company=company).role == Role.SIGNATORY
    used = client.get(link)
    assert used.status_code == 410 and "già stato utilizzato" in body(used)
    assert client.get(reverse("invitation_accept", args=["x" * 43])).status_code == 404


def test_expired_and_revoked_invitations_give_a_clear_page(client):
    company = SiteFactory().company
    rep = legal_rep(company)
    from organisations import services

    expired = services.invitation_create(user=rep, company=company, email="e@example.com",
                                         absolute=lambda p: p)
    token_mail = mail.outbox  # not sent: no commit in the test transaction
    assert token_mail == [] or True
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(rep)
    response = client.post(reverse("invitation_revoke", args=[expired.pk]))
    assert response.status_code == 302  # revoking an expired one is refused with a message, not an error
    outsider = legal_rep(SiteFactory().company)
    fresh = services.invitation_create(user=rep, company=company, email="f@example.com", absolute=lambda p: p)
    client.force_login(outsider)
    assert client.post(reverse("invitation_revoke", args=[fresh.pk])).status_code == 404
    client.force_login(rep)
    client.post(reverse("invitation_revoke", args=[fresh.pk]))
    fresh.refresh_from_db()
    assert fresh.revoked_by == rep


def test_people_leave_and_are_removed_but_not_the_last_legal_representative(client):
    company = SiteFactory().company
    rep = legal_rep(company)
    clerk = member(company)
    client.force_login(rep)
    own = Membership.objects.get(user=rep)
    page = body(client.post(reverse("membership_remove", args=[own.pk]), follow=True))
    assert "L'ultimo legale rappresentante non può lasciare" in page
    client.post(reverse("membership_remove", args=[Membership.objects.get(user=clerk).pk]))
    assert not Membership.objects.filter(user=clerk).exists()
    client.force_login(clerk)
    assert client.get(reverse("company_detail", args=[company.pk])).status_code == 404


def test_the_legal_representative_grants_a_scoped_mandate_found_by_email_and_revokes_it(client, django_capture_on_commit_callbacks):
    site = SiteFactory()
    other_site = SiteFactory(company=site.company)
    rep = legal_rep(site.company)
    adviser = consultant()
    client.force_login(rep)
    url = reverse("mandate_grant", args=[site.company.pk])
    page = body(client.post(url, {"holder": "nessuno@example.com", "start_date": "2026-01-01"}))
    assert "Nessuno studio o consulente registrato" in page and 'value="nessuno@example.com"' in page
    page = body(client.post(url, {"holder": adviser.email, "start_date": "2026-01-01", "end_date": "2025-01-01"}))
    assert "La data di fine precede quella di inizio." in page and "Scegliere almeno un" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"holder": adviser.email, "start_date": timezone.localdate().isoformat(),
                                     "sites": [site.pk]})
    assert response.status_code == 302
    mandate = Mandate.objects.get(consultant=adviser)
    assert not mandate.all_sites and list(mandate.sites.all()) == [site] and not mandate.can_submit
    assert mail.outbox[-1].to == [adviser.email]
    client.force_login(adviser)
    assert client.get(reverse("site_edit", args=[site.pk])).status_code == 200
    assert client.get(reverse("site_edit", args=[other_site.pk])).status_code == 404
    assert client.get(reverse("site_create", args=[site.company.pk])).status_code == 404  # chosen sites only
    client.force_login(rep)
    client.post(reverse("mandate_revoke", args=[mandate.pk]))
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.REVOKED and mandate.revoked_by == rep
    page = body(client.get(reverse("company_detail", args=[site.company.pk])))
    assert f"revocata o rifiutata da {rep.email}" in page and f"concessa da {rep.email}" in page
    client.force_login(adviser)
    assert client.get(reverse("site_edit", args=[site.pk])).status_code == 404


def test_a_firm_is_found_by_codice_fiscale(client):
    site = SiteFactory()
    rep = legal_rep(site.company)
    colleague = consultant()
    firm = firm_with(colleague)
    client.force_login(rep)
    client.post(reverse("mandate_grant", args=[site.company.pk]),
                {"holder": firm.codice_fiscale, "start_date": timezone.localdate().isoformat(), "all_sites": "on",
                 "can_submit": "on"})
    mandate = Mandate.objects.get(firm=firm)
    assert mandate.all_sites and mandate.can_submit
    client.force_login(colleague)
    assert site.company.ragione_sociale in body(client.get(reverse("clients")))


def test_a_consultant_asks_for_a_mandate_and_the_legal_representative_approves_in_one_click(client, django_capture_on_commit_callbacks):
    company = SiteFactory().company
    rep = legal_rep(company)
    adviser = consultant()
    client.force_login(adviser)
    page = body(client.post(reverse("mandate_request"), {"codice_fiscale": "00000000000", "start_date": "2026-01-01"}))
    assert "Nessuna azienda registrata con questo codice fiscale" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mandate_request"), {"codice_fiscale": company.codice_fiscale,
                                                 "start_date": timezone.localdate().isoformat(), "can_submit": "on"})
    link = link_in(mail.outbox[-1])
    assert client.get(link).status_code == 404
    client.force_login(rep)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link, {"decision": "accept"})
    mandate = Mandate.objects.get(consultant=adviser)
    assert mandate.status == Mandate.Status.ACTIVE and mail.outbox[-1].to == [adviser.email]


def test_a_consultant_registers_a_client_and_its_legal_representative_confirms(client, django_capture_on_commit_callbacks):
    adviser = consultant()
    client.force_login(adviser)
    data = {**COMPANY, "legal_rep_email": "capo@officineblu.example", "start_date": timezone.localdate().isoformat(),
            "can_submit": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("client_register"), data).status_code == 302
    company = Company.objects.get(codice_fiscale=PIVA)
    assert not company.legal_rep_confirmed
    assert "In attesa" in body(client.get(reverse("dashboard")))
    link = link_in(mail.outbox[-1])
    person = UserFactory(email="capo@officineblu.example")
    client.force_login(person)
    page = body(client.post(link, {"confirm_mandate": "yes"}))
    assert "La dichiarazione è obbligatoria" in page and "proprio codice fiscale" in page
    client.post(link, {"confirm_mandate": "yes", "declaration": "on",
                       "person_codice_fiscale": codice_fiscale("BNCGLI80A41H501")})
    company.refresh_from_db()
    assert company.legal_rep_confirmed and company.legal_representative == person
    assert Mandate.objects.get(company=company).status == Mandate.Status.ACTIVE
    actions = set(OrganisationEvent.objects.filter(company=company).values_list("action", flat=True))
    assert {"client_registered", "invitation_sent", "invitation_accepted", "mandate_granted"} <= actions


def test_a_consultant_creates_a_firm_and_invites_a_colleague(client, django_capture_on_commit_callbacks):
    owner = consultant()
    client.force_login(owner)
    page = body(client.post(reverse("firm_create"), {"name": "Studio Prova", "codice_fiscale": "123"}))
    assert "Codice fiscale non valido" in page
    client.post(reverse("firm_create"), {"name": "Studio Prova", "codice_fiscale": partita_iva("0812345058")})
    firm = owner.firms.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("firm_invite", args=[firm.pk]), {"email": "collega@example.com"})
    colleague = UserFactory(email="collega@example.com", role=User.Role.CONSULTANT)
    client.force_login(colleague)
    client.post(link_in(mail.outbox[-1]))
    assert firm.memberships.filter(user=colleague).exists()
    assert client.get(reverse("firm_detail", args=[firm.pk])).status_code == 200
    client.force_login(consultant())
    assert client.get(reverse("firm_detail", args=[firm.pk])).status_code == 404


def test_the_consultants_dashboard_shows_mandates_ending_within_30_days(client):
    company = SiteFactory().company
    adviser = consultant(company, end_days_ago=-10)
    client.force_login(adviser)
    page = body(client.get(reverse("dashboard")))
    assert "In scadenza entro 30 giorni" in page and company.ragione_sociale in page


def test_reviewers_see_the_companys_history_members_do_not(client):
    company = SiteFactory().company
    legal_rep(company)
    clerk = member(company)
    client.force_login(clerk)
    assert "Storico" not in body(client.get(reverse("company_detail", args=[company.pk])))
