# ⵜⵉⵙⵏⴰ ⵏ ⵓⵎⵙⵙⵓⴷⵙ: ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ ⴷ ⵓⵙⵙⵉⴷⵏ (ⵜⴰⵎⴰⵣⵉⵖⵜ). Machine translation awaiting review by a fluent reader.
receipt-title = ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ
tracking-code-prompt = ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ:
wrong-secret = ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ ⵏⵖ ⴰⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ ⵓⵔ ⵉⵚⵃⵉⵃ.
secret-label = ⴰⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ ⵍⵍⵉ ⵜⵓⵎⵥⵎ ⴳ ⵓⵙⵔⵙ
show-receipt = ⵙⵎⴰⵍ ⴰⵙⵍⴽⵉⵏ
keep-or-print = ⵃⴹⵓ ⵏⵖ ⵙⵙⵓⵖⵍ ⴰⵙⵍⴽⵉⵏ ⴰⴷ (Ctrl+P).
qr-receipt = ⴰⵎⴰⵜⴰⵔ QR ⵏ ⵜⵙⵏⴰ ⵏ ⵓⴹⴼⴼⵓⵔ
tracking-code = ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ
procedure = ⵜⴰⵙⵍⴽⵉⵜ
submitted-on = ⵜⵜⵓⵙⵔⵙ ⴳ
decision-due = ⴰⵣⵎⵣ ⴰⵏⴰⵎⵓⵙ ⵏ ⵜⴳⵜⵜⵓⵎⵜ
state = ⴰⴷⴷⴰⴷ
documents = ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵙⵔⵙⵏ
documents-count = { $count ->
    [0] ⵓⵔ ⵉⵜⵜⵓⵙⵔⵙ ⴽⵔⴰ ⵏ ⵓⵙⵉⵎⵍ.
    [one] ⵢⴰⵏ ⵓⵙⵉⵎⵍ ⵉⵜⵜⵓⵙⵔⵙⵏ:
   *[other] { $count } ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵙⵔⵙⵏ:
}
fees = ⵉⵣⵔⴼⴰⵏ
free = ⴱⵍⴰ ⴰⵙⵖⴰⵔ.
at-deadline = ⴳ ⵜⵉⴳⵉⵔⴰ ⵏ ⵓⵣⵎⵣ
tracking-page = ⵜⴰⵙⵏⴰ ⵏ ⵓⴹⴼⴼⵓⵔ:
time-in-zone = { $time } (ⴰⴽⵓⴷ ⵏ { $zone })
date-in-zone = { $date } (ⴰⵙⵎⴰⵍ ⵏ { $zone })
languages = ⵜⵓⵜⵍⴰⵢⵜ
verify-title = ⴰⵙⵙⵉⴷⵏ ⵏ ⵓⵙⵉⵎⵍ
verify-not-found = ⵓⵔ ⵉⵍⵍⵉ ⴽⵔⴰ ⵏ ⵓⵙⵉⵎⵍ ⵙ ⵓⵎⴰⵜⴰⵔ ⴰⴷ.
verify-not-a-code = ⵡⴰ ⵓⵔ ⵉⴳⵉ ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⵙⵙⵉⴷⵏ (ⴰⵎⴷⵢⴰ: CHF-7K3M-9XQ2-HT4P).
internal-error = ⵜⴰⵣⴳⵍⵜ ⵜⴰⴳⵏⵙⴰⵏⵜ.
training-commune = ⵜⴰⵊⵎⴰⵄⵜ ⵏ ⵓⵙⵍⵎⴷ — ⵉⵙⴼⴽⴰ ⵓⵔ ⴷ ⵉⴷⵜⵏ
verify-authentic = ⴰⵙⵉⵎⵍ ⴰⵏⵚⵍⵉ: ⵜⴼⴽⴰ ⵜ ⵜⵎⵙⵎⵓⵏⵜ ⵙ ⵓⵎⴰⵜⴰⵔ ⴰⴷ.
verify-code = ⴰⵎⴰⵜⴰⵔ
verify-commune = ⵜⴰⵎⵙⵎⵓⵏⵜ
verify-document = ⴰⵙⵉⵎⵍ
verify-issued-on = ⵉⵜⵜⵓⴼⴽⴰ ⴳ
verify-fingerprint = ⴰⴹⵍⴰⵙ
verify-text-same = ⴰⴹⵔⵉⵙ ⵉⵜⵜⵓⵙⵎⴰⵍⴰⵏ ⵉⴳⴰ ⵡⵉⵏ ⵓⵙⵉⵎⵍ ⵉⵜⵜⵓⴼⴽⴰⵏ: ⵓⵔ ⵉⵜⵜⵓⵙⵏⴼⵍ.
verify-text-differs = ⴰⴹⵔⵉⵙ ⵉⵜⵜⵓⵙⵎⴰⵍⴰⵏ ⵉⵎⵣⴰⵔⴰⵢ ⴷ ⵓⵙⵉⵎⵍ ⵉⵜⵜⵓⴼⴽⴰⵏ.
verify-paste = ⵙⵔⵙ ⴰⴹⵔⵉⵙ ⵏ ⵓⵙⵉⵎⵍ ⴰⴷ ⵜⵙⵙⵉⴷⵏⴷ ⵉⵙ ⵓⵔ ⵉⵜⵜⵓⵙⵏⴼⵍ:
verify-button = ⵙⵙⵉⴷⵏ
