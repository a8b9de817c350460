"""Who may read an application's evidence files (the permission evidence/views.py checks)."""
import rules

from applications.rules import is_submitted
from organisations.rules import is_administrator, is_reviewer, works_for_company

rules.add_perm("applications.view_evidence", works_for_company | (is_reviewer & is_submitted) | is_administrator)
