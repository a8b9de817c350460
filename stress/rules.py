"""Who may read and edit a stress assessment: the company's people and consultants with a current mandate
(organisations.rules.works_for_company; twin queryset: selectors.assessments_for). Reviewers and
administrators never open the assessment's pages: INAIL reads the report once it is attached to an
application as evidence, through the evidence's own permission."""
import rules

from organisations.rules import works_for_company

rules.add_perm("applications.manage_stress", works_for_company)
