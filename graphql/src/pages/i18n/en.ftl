# Server pages: receipt and verification (English).
receipt-title = Receipt of filing
tracking-code-prompt = Tracking code:
wrong-secret = The tracking code or the secret code is wrong.
secret-label = Secret code given when you filed
show-receipt = Show the receipt
keep-or-print = Keep or print this receipt (Ctrl+P).
qr-receipt = QR code of the tracking page
tracking-code = Tracking code
procedure = Procedure
submitted-on = Filed on
decision-due = Legal decision deadline
state = State
documents = Documents filed
documents-count = { $count ->
    [0] No document filed.
    [one] One document filed:
   *[other] { $count } documents filed:
}
fees = Fees
free = Free.
at-deadline = At the deadline
tracking-page = Tracking page:
time-in-zone = { $time } ({ $zone } time)
date-in-zone = { $date } ({ $zone } calendar)
languages = Language
verify-title = Verifying a document
verify-not-found = No document bears this code.
verify-not-a-code = This is not a verification code (example: CHF-7K3M-9XQ2-HT4P).
internal-error = Internal error.
training-commune = Training commune — data is fictitious
verify-authentic = Authentic document: issued by the commune under this code.
verify-code = Code
verify-commune = Commune
verify-document = Document
verify-issued-on = Issued on
verify-fingerprint = Fingerprint
verify-text-same = The text presented is the one issued: it has not been changed.
verify-text-differs = The text presented differs from the document issued.
verify-paste = Paste the document's text to check that it has not been changed:
verify-button = Verify
