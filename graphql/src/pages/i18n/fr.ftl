# Pages du serveur : récépissé et vérification (français).
receipt-title = Récépissé de dépôt
tracking-code-prompt = Code de suivi :
wrong-secret = Le code de suivi ou le code secret est incorrect.
secret-label = Code secret remis au dépôt
show-receipt = Afficher le récépissé
keep-or-print = Conservez ou imprimez ce récépissé (Ctrl+P).
qr-receipt = Code QR de la page de suivi
tracking-code = Code de suivi
procedure = Procédure
submitted-on = Déposée le
decision-due = Date limite légale de décision
state = État
documents = Pièces déposées
documents-count = { $count ->
    [0] Aucune pièce déposée.
    [one] Une pièce déposée :
   *[other] { $count } pièces déposées :
}
fees = Frais
free = Gratuit.
at-deadline = À l'échéance
tracking-page = Page de suivi :
time-in-zone = { $time } (heure de { $zone })
date-in-zone = { $date } (calendrier de { $zone })
languages = Langue
verify-title = Vérification d'un document
verify-not-found = Aucun document ne porte ce code.
verify-not-a-code = Ce n'est pas un code de vérification (exemple : CHF-7K3M-9XQ2-HT4P).
internal-error = Erreur interne.
training-commune = Commune de formation — les données sont fictives
verify-authentic = Document authentique : émis par la commune sous ce code.
verify-code = Code
verify-commune = Commune
verify-document = Document
verify-issued-on = Émis le
verify-fingerprint = Empreinte
verify-text-same = Le texte présenté est celui du document émis : il n'a pas été modifié.
verify-text-differs = Le texte présenté diffère du document émis.
verify-paste = Collez le texte du document pour vérifier qu'il n'a pas été modifié :
verify-button = Vérifier
