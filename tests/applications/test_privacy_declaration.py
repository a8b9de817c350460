"""The submit step's privacy declaration cites the GDPR as well as the Italian privacy code (issue 18, item 15)."""
import pytest

from applications.forms import SubmitForm


def test_privacy_declaration_cites_gdpr_and_the_privacy_code():
    label = str(SubmitForm.base_fields["declares_privacy"].label)
    assert "2016/679" in label and "196/2003" in label


@pytest.mark.django_db
def test_the_submit_step_links_the_privacy_notice_it_declares_read(client):
    """Issue 34, minor: a link to the privacy notice beside the declaration at submission."""
    import html

    from django.urls import reverse

    from tests.applications.test_wizard_flow import step
    from tests.factories import ready_to_submit

    app, rep = ready_to_submit()
    client.force_login(rep)
    page = html.unescape(client.get(step(app, "submit")).content.decode())
    declaration = page.index("Dichiaro di aver preso visione dell'informativa")
    link = page.find(f'href="{reverse("privacy")}"', declaration)
    assert link != -1 and link - declaration < 2000
