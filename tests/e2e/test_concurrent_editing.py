"""Two browsers editing the same draft: the second save is refused and nothing the first saved is lost."""
import pytest
from playwright.sync_api import expect

from applications import services
from tests.e2e.login import log_in
from tests.factories import PATFactory, SiteFactory, consultant, legal_rep, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_second_browser_save_is_refused(browser, live_server, shot):
    from django.core.management import call_command

    call_command("loaddata", "ot24", verbosity=0)
    site = SiteFactory(workers=12)
    PATFactory(site=site)
    rep = legal_rep(site.company)
    adviser = consultant(site.company)
    app = services.application_start(user=rep, site=site, campaign=open_campaign())

    pages = []
    for user in (rep, adviser):
        context = browser.new_context()
        page = context.new_page()
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/domande/{app.pk}/passo/C/")
        pages.append(page)
    first, second = pages
    first.locator("label[for=id_sel_C4]").click()
    first.get_by_role("button", name="Salva", exact=True).click()
    expect(first.get_by_text("Sezione C salvata.")).to_be_visible()
    second.locator("label[for=id_sel_C5]").click()
    second.get_by_role("button", name="Salva", exact=True).click()
    expect(second.get_by_text("modificata da un'altra sessione")).to_be_visible()
    second.screenshot(path="test-artifacts/concurrent-refused.png")
    assert list(app.selections.values_list("intervention__code", flat=True)) == ["C4"]
    for page in pages:
        page.context.close()
