# Páginas del servidor: justificante y verificación (español).
receipt-title = Justificante de presentación
tracking-code-prompt = Código de seguimiento:
wrong-secret = El código de seguimiento o el código secreto no es correcto.
secret-label = Código secreto entregado al presentar la solicitud
show-receipt = Mostrar el justificante
keep-or-print = Conserve o imprima este justificante (Ctrl+P).
qr-receipt = Código QR de la página de seguimiento
tracking-code = Código de seguimiento
procedure = Trámite
submitted-on = Presentada el
decision-due = Fecha límite legal de decisión
state = Estado
documents = Documentos presentados
documents-count = { $count ->
    [0] Ningún documento presentado.
    [one] Un documento presentado:
   *[other] { $count } documentos presentados:
}
fees = Tasas
free = Gratuito.
at-deadline = Al vencimiento
tracking-page = Página de seguimiento:
time-in-zone = { $time } (hora de { $zone })
date-in-zone = { $date } (calendario de { $zone })
languages = Idioma
verify-title = Verificación de un documento
verify-not-found = Ningún documento lleva este código.
verify-not-a-code = No es un código de verificación (ejemplo: CHF-7K3M-9XQ2-HT4P).
internal-error = Error interno.
training-commune = Municipio de formación — los datos son ficticios
verify-authentic = Documento auténtico: expedido por el municipio con este código.
verify-code = Código
verify-commune = Municipio
verify-document = Documento
verify-issued-on = Expedido el
verify-fingerprint = Huella
verify-text-same = El texto presentado es el del documento expedido: no ha sido modificado.
verify-text-differs = El texto presentado difiere del documento expedido.
verify-paste = Pegue el texto del documento para comprobar que no ha sido modificado:
verify-button = Verificar
