"""Who may see and edit a site's injury register and indices: the company's members, its legal
representative and consultants with a current mandate (organisations.rules.works_for_company). Nobody
else: not INAIL's reviewers, not administrators. (indicators/rules.py holds the pure rules of the indices;
the permissions are here.)"""
import rules

from organisations.rules import works_for_company

rules.add_perm("applications.view_indicators", works_for_company)
rules.add_perm("applications.edit_indicators", works_for_company)
