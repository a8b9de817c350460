"""What evidence plugs into applications from EvidenceConfig.ready() (applications sits below evidence in the
layers and never imports it, .importlinter): the wizard's "Documentazione" step in the step registry, the
evidence checklist the overview and the dashboard show, the removal of a removed intervention's files through
the selections_removed signal, and the uploads' column among those that keep stored bytes."""
import pytest
from django.apps import apps

from applications import hooks, wizard
from applications import services as application_services
from applications.models import Application
from applications.selectors import application_overview, dashboard_rows_for
from evidence import selectors as evidence_selectors
from evidence import services as evidence_services
from evidence import views as evidence_views
from evidence.models import EvidenceFile
from ot24portal.filestore import references, storage
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

RECEIVER = "evidence.remove_files_of_removed_selections"


def test_the_evidence_step_is_registered_by_evidence_before_the_review():
    step = wizard.get(wizard.EVIDENCE)
    assert step.handler == "evidence.views.evidence_step" and step.view is evidence_views.evidence_step
    assert step.template == "evidence/wizard_step.html"
    assert [s.key for s in wizard.STEPS] == ["scheda", "A", "B", "C", "D", "evidence", "review", "submit"]
    # A second ready() (Django runs it again when the installed apps are swapped) registers nothing twice.
    apps.get_app_config("evidence").ready()
    assert [s.key for s in wizard.STEPS].count(wizard.EVIDENCE) == 1


def test_the_evidence_step_is_served_by_evidences_handler(client):
    app = ApplicationFactory(sections={"C": ["C4"]})
    client.force_login(app.created_by)
    response = client.get(wizard.url(app, wizard.EVIDENCE))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "evidence/wizard_step.html"


def test_the_checklist_applications_shows_is_evidences():
    registered = hooks.evidence_checklist()
    assert registered.rows is evidence_selectors.evidence_checklist
    assert registered.missing is evidence_selectors.missing_evidence
    app = ApplicationFactory(sections={"C": ["C4"]})
    overview = application_overview(app)
    assert [row.intervention.code for row in overview.evidence] == ["C4"] and overview.missing_evidence == 1
    [row] = dashboard_rows_for([app.site], app.campaign)
    assert row.missing_evidence == 1


def _remove_c4(app):
    app.refresh_from_db()
    application_services.application_save_section(user=app.created_by, application=app, section="C", chosen={},
                                                  version=app.version)


def test_removing_an_intervention_removes_its_files_through_the_signal(django_capture_on_commit_callbacks):
    app = ApplicationFactory(sections={"C": ["C4"]}, evidence=True)
    files = list(EvidenceFile.objects.filter(application=app))
    assert files and all(storage.exists(f.storage_name) for f in files)
    heard = []

    def listener(sender, *, application, intervention_ids, **kwargs):
        heard.append((sender, application.pk, intervention_ids))

    hooks.selections_removed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _remove_c4(app)
    finally:
        hooks.selections_removed.disconnect(listener)
    assert heard == [(Application, app.pk, [files[0].evidence_item.intervention_id])]
    assert not EvidenceFile.objects.filter(application=app).exists()
    assert not any(storage.exists(f.storage_name) for f in files)


def test_without_evidences_receiver_the_files_would_stay():
    """The files go by evidence's receiver and by nothing else in applications."""
    app = ApplicationFactory(sections={"C": ["C4"]}, evidence=True)
    assert hooks.selections_removed.disconnect(dispatch_uid=RECEIVER)
    try:
        _remove_c4(app)
    finally:
        hooks.selections_removed.connect(evidence_services.remove_files_of_removed_selections, dispatch_uid=RECEIVER)
    assert not app.selections.exists() and EvidenceFile.objects.filter(application=app).exists()


def test_stored_bytes_stay_while_a_registered_column_names_them():
    app = ApplicationFactory(sections={"C": ["C4"]}, evidence=True)
    upload = EvidenceFile.objects.filter(application=app).first()
    assert references.in_use(upload.storage_name)
    Application.objects.filter(pk=app.pk).update(decision_pdf_storage_name="issued/letter")
    assert references.in_use("issued/letter")
    assert not references.in_use("nobody/names/this")


def test_the_application_admin_shows_the_evidence_files_inline(admin_client):
    from django.contrib import admin
    from django.urls import reverse

    from evidence.admin import EvidenceFileInline

    assert EvidenceFileInline in admin.site.get_model_admin(Application).inlines
    app = ApplicationFactory(sections={"C": ["C4"]}, evidence=True)
    upload = EvidenceFile.objects.filter(application=app).first()
    page = admin_client.get(reverse("admin:applications_application_change", args=[app.pk]))
    assert page.status_code == 200 and upload.original_name in page.content.decode()
