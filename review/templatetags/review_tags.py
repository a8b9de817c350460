"""The applicant's side of a review on the application's summary page: the open clarification request
(deadline, the requirements named in full, each file's and intervention's outcome and reason, uploads and
their removal, the answer), and once decided, the outcome of every intervention and file."""
from django import template

from applications import workflow
from applications.models import Application
from interventions.models import EvidenceItem

from ..models import Verdict
from ..selectors import latest_verdicts, open_clarification

register = template.Library()


@register.inclusion_tag("review/_applicant_review.html", takes_context=True)
def applicant_review(context, application: Application):
    request = context["request"]
    result = {"application": application, "csrf_token": context.get("csrf_token"), "request": request}
    if application.is_draft or application.status == Application.Status.WITHDRAWN:
        return result
    by_intervention, by_file = latest_verdicts(application)
    clarification = open_clarification(application)
    decided = application.status in (Application.Status.APPROVED, Application.Status.REJECTED)
    if clarification is not None and workflow.allowed(request.user, application, "answer_clarification"):
        interventions = list(clarification.interventions.order_by("order"))
        files = list(application.evidence_files.filter(evidence_item__intervention__in=interventions)
                     .select_related("evidence_item"))
        items = list(EvidenceItem.objects.filter(intervention__in=interventions).order_by("intervention__order", "order"))
        result["clarification"] = clarification
        result["concerned"] = [{
            "intervention": i, "verdict": by_intervention.get(i.pk),
            "items": [{"item": item, "files": [{"file": f, "verdict": by_file.get(f.pk),
                                                  "removable": f.clarification_id == clarification.pk and f.pk not in by_file}
                                                 for f in files if f.evidence_item_id == item.pk]}
                      for item in items if item.intervention_id == i.pk],
        } for i in interventions]
    elif decided:
        files = {}
        for f in application.evidence_files.select_related("evidence_item__intervention"):
            files.setdefault(f.evidence_item.intervention_id, []).append({"file": f, "verdict": by_file.get(f.pk)})
        result["outcomes"] = [{"intervention": v.intervention, "verdict": v, "files": files.get(v.intervention_id, [])}
                              for v in sorted(by_intervention.values(), key=lambda v: v.intervention.order)]
    result["Outcome"] = Verdict.Outcome
    return result
