"""Who reviews: the queue, bulk assignment, taking an application."""
import rules

from applications.models import Application
from organisations.rules import has_tie_to_company, is_administrator, is_reviewer, is_supervisor


@rules.predicate
def is_unassigned_submission(user, application) -> bool:
    return (isinstance(application, Application) and application.reviewer_id is None
            and application.status == Application.Status.SUBMITTED)


# Nobody reviews an application of a company they have or had any tie to (issue 28).
can_take_application = is_reviewer & is_unassigned_submission & ~has_tie_to_company

rules.add_perm("applications.review_queue", is_reviewer | is_administrator)  # administrators look, never act
rules.add_perm("applications.assign_reviews", is_supervisor)
rules.add_perm("applications.take_application", can_take_application)
