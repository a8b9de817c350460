"""ApplicationFactory's traits give an application in the state they name, made through the services."""
import pytest

from applications.models import Application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_draft_is_started_by_the_legal_representative_with_its_scheda_and_sections():
    app = ApplicationFactory()
    assert app.status == Application.Status.DRAFT and app.declared_total == 110
    assert app.created_by == app.site.company.legal_representative
    assert sorted(s.intervention.code for s in app.selections.all()) == ["A6", "C23"]
    empty = ApplicationFactory(draft=True, sections=None)
    assert empty.status == Application.Status.DRAFT and not empty.selections.exists()


def test_submitted_is_sealed_unless_asked_to_be_quick():
    app = ApplicationFactory(submitted=True, sections={"A": ["A6"], "C": ["C4"], "D": ["D4"]}, evidence=True)
    assert app.status == Application.Status.SUBMITTED and app.receipt_number and app.snapshot
    assert app.pdf_sha256 and app.evidence_files.count() >= 2
    quick = ApplicationFactory(submitted=True, sealed=False)
    assert quick.status == Application.Status.SUBMITTED and quick.receipt_number and quick.submitted_at
    assert not quick.pdf_sha256


def test_under_review_has_its_reviewer_and_decided_is_approved_or_rejected():
    reviewer = UserFactory(role="reviewer")
    taken = ApplicationFactory(under_review=True, sealed=False, reviewer=reviewer)
    assert taken.status == Application.Status.IN_REVIEW and taken.reviewer == reviewer
    approved = ApplicationFactory(decided=True)
    assert approved.status == Application.Status.APPROVED and approved.decision_pdf_sha256
    rejected = ApplicationFactory(decided=True, approve=False, sealed=False)
    assert rejected.status == Application.Status.REJECTED and rejected.validated_total == 0
