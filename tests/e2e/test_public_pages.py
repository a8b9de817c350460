"""Visitors and logged-in users in a real browser: the home page, the footer's pages, the menu; at 1280
and 390 px, in Italian and English."""
import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.login import log_in
from tests.factories import SiteFactory, UserFactory, legal_rep, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_visitor_reads_the_home_page_and_starts(page, live_server, shot, width):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    campaign = open_campaign()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Riduzione del tasso INAIL per chi investe in prevenzione")).to_be_visible()
    expect(page.get_by_text(f"Campagna {campaign.filing_year} aperta")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows sideways
    shot(f"01-home-{width}")
    for link, heading in [("Aiuto e domande frequenti", "Aiuto e domande frequenti"), ("Contatti", "Contatti e assistenza"),
                          ("Informativa sulla privacy", "Informativa sul trattamento dei dati personali"),
                          ("Dichiarazione di accessibilità", "Dichiarazione di accessibilità"), ("Note legali", "Note legali")]:
        page.locator("footer").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    shot(f"02-legal-{width}")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Registrati e inizia la domanda").click()
    expect(page).to_have_url(f"{live_server.url}/account/signup/")

    # In English.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Lingua").select_option("en")
    page.get_by_role("button", name="Cambia").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(f"03-home-en-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_logged_in_menu(page, live_server, shot, width):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    open_campaign()
    rep = legal_rep(SiteFactory().company)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, rep)
    expect(page).to_have_url(f"{live_server.url}/domande/")
    menu = page.get_by_role("navigation", name="Menu principale")
    expect(menu.get_by_role("link", name="Domande")).to_have_attribute("aria-current", "page")
    shot(f"01-menu-{width}")
    menu.get_by_role("link", name="Profilo").click()
    expect(menu.get_by_role("link", name="Profilo")).to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Aiuto").click()
    expect(page.get_by_role("heading", name="Aiuto e domande frequenti")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/domande/")


def test_administrator_lands_on_the_admin_page(page, live_server, shot, settings):
    settings.OT24_REQUIRE_STAFF_MFA = False
    admin = UserFactory(role=User.Role.ADMIN, is_superuser=True, is_staff=True)
    log_in(page, live_server, admin)
    expect(page.get_by_role("heading", name="Amministrazione del portale")).to_be_visible()
    expect(page.get_by_role("button", name="Avvia la domanda")).to_have_count(0)
    shot("01-admin-landing")
