"""Who may read and edit a stress assessment (twin queryset: selectors.assessments_for).

An assessment follows what it assesses, as the application pages follow the application's site: one of a
productive unit (scope "site") is open to whoever works on that site (the company's people, its legal
representative, a consultant whose current mandate covers all sites or names that one); one of the whole
company or of a group of tasks covers every site, so it needs the whole company (a member, the legal
representative, or a mandate for all sites). Starting an assessment needs any of these ties to the company:
the form then offers only the scopes and sites the user works on. Reviewers and administrators never open
the assessment's pages: INAIL reads the report once it is attached to an application as evidence, through
the evidence's own permission."""
import rules

from organisations.models import Company
from organisations.rules import (has_whole_company_mandate, is_company_member, is_legal_representative,
                                 works_for_company)

from .models import Assessment

# On a site: works on that site; on a company: works on all of its sites.
_works_on_all_of = is_company_member | is_legal_representative | has_whole_company_mandate


def assessed(obj):
    """What an assessment covers: its site (scope "site"), otherwise its whole company. A site or a
    company stands for itself (an assessment about to be created)."""
    if isinstance(obj, Assessment):
        if obj.scope == Assessment.Scope.SITE and obj.site_id:
            return obj.site
        return obj.company
    return obj


@rules.predicate
def works_on_assessed(user, obj) -> bool:
    target = assessed(obj)
    return target is not None and _works_on_all_of.test(user, target)


@rules.predicate
def may_start_assessment(user, company) -> bool:
    return isinstance(company, Company) and works_for_company.test(user, company)


rules.add_perm("applications.manage_stress", works_on_assessed)
rules.add_perm("applications.start_stress", may_start_assessment)
