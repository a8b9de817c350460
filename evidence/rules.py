"""Who may read an application's evidence files (the permission evidence/views.py checks), and who may sign
the documents the portal generated (evidence.services.evidence_sign_*)."""
import rules

from applications.rules import is_draft, is_submitted
from organisations.rules import (is_administrator, is_company_signatory, is_reviewer, legal_rep_confirmed,
                                 works_for_company)

rules.add_perm("applications.view_evidence", works_for_company | (is_reviewer & is_submitted) | is_administrator)
# The legal representative or a signatory with power of signature, of a draft: not a consultant, whose mandate
# does not sign the employer's documents, nor a collaborator.
rules.add_perm("applications.sign_evidence", is_company_signatory & legal_rep_confirmed & is_draft)
