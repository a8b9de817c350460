"""The evidence forms: uploading a file for an evidence item, and signing a generated document (the signed file,
and the confirmation that it cannot be undone)."""
from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceUploadForm(forms.Form):
    evidence_item = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("File (PDF, JPEG, PNG o .p7m)"),
        error_messages={"required": _("Scegliere un file da caricare."), "empty": _("Il file è vuoto.")},
    )

class SignForm(forms.Form):
    """One way of signing (QUALIFIED: the file signed digitally; HANDWRITTEN: the scan of the printed copy
    signed by hand). Each is its own form on the page, told apart by its prefix."""

    QUALIFIED = "digitale"
    HANDWRITTEN = "autografa"

    file = forms.FileField(label=_("File firmato"))
    confirm = forms.BooleanField(
        label=_("Confermo: il documento firmato sostituisce quello da firmare e la firma non si può annullare "
                "(per cambiarla occorre rimuovere il documento e allegarlo di nuovo)."),
        error_messages={"required": _("Spuntare la conferma per firmare il documento.")})

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, prefix=method, **kwargs)
        self.method = method
        if method == self.QUALIFIED:
            self.fields["file"].label = _("PDF firmato (PAdES) o busta firmata .p7m (CAdES)")
            self.fields["file"].help_text = _(
                "Firmare il PDF scaricato senza modificarlo, con firma invisibile (senza firma grafica). Il "
                "titolare del certificato deve essere il legale rappresentante o un procuratore con potere di firma.")
            self.fields["file"].widget.attrs["accept"] = ".pdf,.p7m"
        else:
            self.fields["file"].label = _("Scansione della copia firmata a mano (PDF, JPEG o PNG)")
            self.fields["file"].help_text = _(
                "Stampare il documento, datarlo e firmarlo a mano (legale rappresentante o procuratore con potere "
                "di firma), poi caricarne la scansione completa: la valuta l'istruttore INAIL.")
            self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"
        self.fields["file"].error_messages["required"] = _("Scegliere il file firmato da caricare.")
