"""Issue 34, minor: before the irreversible decision the reviewer sees what it will say: the outcome, the
points validated, the reduction per PAT and the reasons of each intervention not accepted."""
import html

import pytest
from django.urls import reverse

from applications.models import Application
from tests.review.test_review_flow import code, post, reviewer, submitted  # noqa: F401 - the fixtures

pytestmark = pytest.mark.django_db


def _preview(page: str) -> str:
    return page.split('id="decision-preview"', 1)[1].split("</section>", 1)[0]


def test_the_reviewer_sees_the_rejection_before_adopting_it(client, submitted, reviewer):  # noqa: F811
    app, rep = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    post(client, app, action="verdict", intervention=code("A6").pk, outcome="idoneo")
    post(client, app, action="verdict", intervention=code("C4").pk, outcome="non_idoneo", reason="Controlli sporadici")
    post(client, app, action="verdict", intervention=code("D4").pk, outcome="non_idoneo", reason="Fattura del 2019")
    preview = _preview(html.unescape(client.get(reverse("review_detail", args=[app.pk])).content.decode()))
    assert "Domanda respinta" in preview and "50 su 100" in preview
    assert "C4" in preview and "Controlli sporadici" in preview and "Fattura del 2019" in preview
    assert Application.objects.get(pk=app.pk).status != Application.Status.REJECTED  # nothing decided yet


def test_the_reviewer_sees_the_approval_and_the_reduction(client, submitted, reviewer):  # noqa: F811
    app, rep = submitted
    client.force_login(reviewer)
    client.post(reverse("review_take", args=[app.pk]))
    for c in ("A6", "C4", "D4"):
        post(client, app, action="verdict", intervention=code(c).pk, outcome="idoneo")
    preview = _preview(html.unescape(client.get(reverse("review_detail", args=[app.pk])).content.decode()))
    pat = app.pats.first() or app.site.pats.first()
    assert "Domanda accolta" in preview and "140 su 100" in preview
    assert pat.number in preview and "%" in preview
