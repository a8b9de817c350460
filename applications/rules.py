"""Who may do what with an application, and the roles of workflow.py's transition table (django-rules).
The predicates on companies and roles live in organisations/rules.py. The `view_application` rule has a
twin queryset filter, selectors.applications_for; the tests hold the two against each other."""
from __future__ import annotations

import rules

from organisations.rules import (has_tie_to_company, is_administrator, is_reviewer,
                                 signs_for_company, works_for_company)

from .models import Application


@rules.predicate
def is_draft(user, application) -> bool:
    return isinstance(application, Application) and application.is_draft


@rules.predicate
def is_submitted(user, application) -> bool:
    return isinstance(application, Application) and not application.is_draft and application.status != Application.Status.WITHDRAWN


# The roles named in workflow.py's transition table, as predicates on (user, application).
WORKFLOW_ROLES = {
    "signatory": signs_for_company,
    "applicant": works_for_company,
    "reviewer": is_reviewer & ~has_tie_to_company,  # never a company's own people (issue 28)
}

rules.add_perm("applications.start_application", works_for_company)
rules.add_perm("applications.view_application", works_for_company | (is_reviewer & is_submitted) | is_administrator)
rules.add_perm("applications.edit_application", works_for_company & is_draft)
rules.add_perm("applications.submit_application", signs_for_company & is_draft)
