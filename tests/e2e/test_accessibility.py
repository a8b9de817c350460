"""axe-core scan of every main page, as each kind of user sees it: no serious or critical violations."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import User
from applications import services
from tests.e2e.login import log_in
from tests.factories import DEFAULT_PASSWORD, PATFactory, SiteFactory, UserFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Axe()


@pytest.fixture
def world():
    from django.core.management import call_command

    from applications.models import Application

    call_command("loaddata", "ot24", verbosity=0)
    site = SiteFactory(sector="costruzioni")
    PATFactory(site=site)
    rep = legal_rep(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())
    services.application_save_section(user=rep, application=app, section="C", version=app.version,
                                      chosen={"C4": (frozenset(), False)})
    other = SiteFactory()
    reviewer = UserFactory(role=User.Role.REVIEWER)
    sub = services.application_start(user=legal_rep(other.company), site=other, campaign=open_campaign())
    Application.objects.filter(pk=sub.pk).update(status=Application.Status.SUBMITTED, receipt_number="OT24-A11Y-1")
    return rep, app, reviewer, sub


def serious(page):
    results = AXE.run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_pages_have_no_serious_accessibility_violations(page, live_server, world, shot):
    rep, app, reviewer, sub = world
    page.goto(f"{live_server.url}/accesso/")
    problems = {"/accesso/": serious(page)}
    for path in ["/", "/aiuto/", "/contatti/", "/privacy/", "/accessibilita/", "/note-legali/"]:  # pages/
        page.goto(f"{live_server.url}{path}")
        problems[path] = serious(page)
    log_in(page, live_server, rep.email)
    for path in ["/domande/", f"/domande/{app.pk}/passo/scheda/", f"/domande/{app.pk}/passo/A/", f"/domande/{app.pk}/passo/C/",
                 f"/domande/{app.pk}/passo/evidence/", f"/domande/{app.pk}/passo/review/", f"/domande/{app.pk}/passo/submit/",
                 f"/unita/{app.site_id}/"]:
        page.goto(f"{live_server.url}{path}")
        problems[path] = serious(page)
    page.context.clear_cookies()
    log_in(page, live_server, reviewer.email)
    for path in ["/istruttoria/", f"/istruttoria/{sub.pk}/"]:
        page.goto(f"{live_server.url}{path}")
        problems[path] = serious(page)
    shot("last-page")
    assert {p: v for p, v in problems.items() if v} == {}


def test_wizard_usable_with_the_keyboard_alone(page, live_server, world):
    rep, app, reviewer, sub = world
    page.goto(f"{live_server.url}/accesso/")
    page.get_by_label("E-mail").focus()
    page.keyboard.type(rep.email)
    page.get_by_label("Password").focus()
    page.keyboard.type(DEFAULT_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/domande/")
    page.goto(f"{live_server.url}/domande/{app.pk}/passo/C/")
    page.locator("#id_sel_C5").focus()
    page.keyboard.press("Space")
    from playwright.sync_api import expect
    expect(page.locator("#running-total-pending")).to_contain_text("sarebbe 80 su 100")
    page.get_by_role("button", name="Salva e continua").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sezione D")).to_be_visible()
