"""The portal's content-addressed private file store, below every app (docs/architecture.md): files named by
their SHA-256 in the "evidence" storage (disk or S3), the upload handlers that hash while a body arrives, and
the bounded content checks every untrusted file passes. It knows no model: evidence files, sealed applications,
decision letters and reports are recorded by the apps that own them."""
