"""The submit step's privacy declaration cites the GDPR as well as the Italian privacy code (issue 18, item 15)."""
from applications.forms import SubmitForm


def test_privacy_declaration_cites_gdpr_and_the_privacy_code():
    label = str(SubmitForm.base_fields["declares_privacy"].label)
    assert "2016/679" in label and "196/2003" in label
