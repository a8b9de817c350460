"""Issue 18, company side: what a change invalidates, sections showing their saved problems, sub-options
without their intervention, the scheda's formats (codice ditta, workers)."""
import html

import pytest
from django.urls import reverse

from applications.models import Application
from tests.applications.test_wizard_flow import SCHEDA, login, post_scheda, post_section, start, step
from tests.factories import PATFactory, SiteFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    campaign = open_campaign()
    site = SiteFactory(workers=6, sector="costruzioni")
    pat = PATFactory(site=site)
    rep = legal_rep(site.company)
    return campaign, site, pat, rep


def page(response):
    return html.unescape(response.content.decode())


def test_raising_the_workers_names_the_interventions_that_no_longer_count(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    assert post_scheda(client, app, pat, workers="6").status_code == 302
    response = post_section(client, app, "C", {"sel_C1": "on", "sel_C2": "on", "sel_C4": "on"})
    assert "Sezione C salvata. Punteggio conteggiato: da 0 a 100 su 100." in page(client.get(response["Location"]))
    response = post_scheda(client, app, pat, workers="20")
    assert response.status_code == 302
    followed = page(client.get(response["Location"]))
    assert '<div class="alert alert-warning" role="alert">Dati salvati. Attenzione: 2 interventi non vengono più conteggiati' in followed
    assert "Punteggio conteggiato: da 100 a 40 su 100." in followed
    assert "C1" in followed and "C2" in followed and "non più di 15 lavoratori" in followed
    # Section C, when it loads, shows the saved problems next to C1 and C2.
    section = page(client.get(step(app, "C")))
    assert "Intervento riservato alle aziende con non più di 15 lavoratori (lavoratori dichiarati: 20)." in section
    assert 'id="err-C1"' in section and "has-error" in section


def test_a_saved_section_says_what_does_not_count(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, workers="6")
    post_section(client, app, "C", {"sel_C1": "on", "sel_C4": "on"})
    Application.objects.filter(pk=app.pk).update(workers=40)
    response = post_section(client, app, "C", {"sel_C4": "on"})
    assert response.status_code == 302
    followed = page(client.get(response["Location"]))
    assert "Sezione C salvata" in followed


def test_a_suboption_without_its_intervention_is_not_dropped_silently(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    response = post_section(client, app, "B", {"sub_B2d": ["1", "2"]})
    assert response.status_code == 200
    body = page(response)
    assert "Opzioni spuntate senza l'intervento B2d" in body
    assert not app.selections.exists()


def test_scheda_refuses_zero_workers_and_a_long_codice_ditta(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    body = page(post_scheda(client, app, pat, workers="0", codice_ditta="1234567890"))
    assert "almeno 1 lavoratore" in body
    assert "Il codice ditta INAIL è formato da 1 a 9 cifre." in body


def test_header_shows_a_score_bar_toward_the_editions_threshold(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    post_scheda(client, app, pat, workers="6")
    post_section(client, app, "C", {"sel_C4": "on"})
    body = page(client.get(step(app, "C")))
    assert 'id="score-bar"' in body and 'aria-valuenow="40"' in body and 'aria-valuemax="100"' in body
    assert "Avanzamento della compilazione" not in body  # the step bar that read like a score is gone
    assert "Mancano 60 punti" in body
    assert 'id="running-total-pending"' in body and "data-unsaved-warning" in body


def test_submit_step_offers_two_routes_and_the_signed_upload_without_a_reload(client, setup):
    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    body = page(client.get(step(app, "submit")))
    assert 'id="route-password"' in body and 'id="route-qualified"' in body
    assert 'id="signed-pdf"' in body  # present before any download (revealed by the download without JS reloads)
    download = body[body.index('formaction="' + reverse("qualified_prepare", args=[app.pk])):][:400]
    assert "data-confirm" not in download.split(">")[0]


def test_after_submission_the_page_says_what_happens_next(client, setup):
    import datetime as dt

    campaign, site, pat, rep = setup
    login(client, rep)
    app = start(client, site)
    Application.objects.filter(pk=app.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-T-1",
                                                 submitted_at=dt.datetime(2027, 2, 1, 10, tzinfo=dt.timezone.utc))
    body = page(client.get(step(app, "review")))
    assert "Cosa succede ora" in body and "120 giorni" in body and "01/06/2027" in body
    assert "1. Scheda informativa" not in body  # the steps give way


def test_a_member_tells_the_signatories_the_draft_is_ready(client, setup, mailoutbox, django_capture_on_commit_callbacks):
    from organisations.models import Mandate
    from tests.factories import consultant, member

    campaign, site, pat, rep = setup
    office = member(site.company)
    adviser = consultant(site.company)
    consultant(site.company, start_days_ago=90, end_days_ago=1)  # ended mandate: not told
    login(client, office)
    app = start(client, site)
    review = page(client.get(step(app, "review")))
    url = reverse("application_notify_signatories", args=[app.pk])
    assert url in review and "Avvisa il legale rappresentante" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([rep.email, adviser.email])
    assert step(app, "submit") in mail.body
    assert "avvisat" in page(client.get(response["Location"]))
    # Once per hour per draft.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mailoutbox) == 1
    assert "già stato avvisato" in page(client.get(step(app, "review")))
    # Who can submit sees no button and may not use it.
    client.logout()
    login(client, rep)
    assert url not in page(client.get(step(app, "review")))
    assert client.post(url).status_code == 404
