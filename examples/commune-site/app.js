// @ts-check
// A commune's online procedures, on the Jamaa SDK: the catalog in every language the commune enables (Arabic,
// Tamazight in Tifinagh, French, English, Spanish), a procedure's form checked
// as the citizen types with the server's own rules (WebAssembly), the receipt, and tracking. No framework: the
// page is built with the DOM, and every text a citizen types is shown with textContent.

import { JamaaError, createClient, fieldStates, init, textDirection, validateSubmission } from "/sdk/index.js";

/** The texts of the page itself; the procedures' texts and the messages come from the API and the SDK. */
const TEXTS = {
  ar: {
    siteTitle: "الخدمات الإلكترونية للجماعة",
    skip: "انتقل إلى المحتوى",
    settings: "الإعدادات",
    commune: "الجماعة",
    language: "اللغة",
    trackNav: "تتبع طلب",
    footer: "تعتمد هذه الصفحة على Jamaa SDK: تُطبق قواعد الخادم نفسها داخل المتصفح.",
    catalogTitle: (name) => `الخدمات الإلكترونية لجماعة ${name}`,
    catalogLead: "اختر المسطرة الإدارية، واملأ الاستمارة، واحصل على وصل الإيداع فورًا.",
    deadline: "الأجل القانوني",
    communeDeadline: "الأجل الذي حددته الجماعة",
    fees: "الرسوم",
    free: "مجانًا",
    sameDay: "في نفس اليوم",
    days: (n, working) =>
      plural(n, {
        zero: `${n} ${working ? "يوم عمل" : "يوم"}`,
        one: working ? "يوم عمل واحد" : "يوم واحد",
        two: working ? "يوما عمل" : "يومان",
        few: `${n} ${working ? "أيام عمل" : "أيام"}`,
        many: `${n} ${working ? "يوم عمل" : "يومًا"}`,
        other: `${n} ${working ? "يوم عمل" : "يوم"}`,
      }),
    back: "العودة إلى الخدمات",
    documentsTitle: "الوثائق",
    optional: "اختياري",
    requiredMark: "إجباري",
    formats: (list, size) => `الصيغ المقبولة: ${list}، الحجم الأقصى ${size}`,
    yes: "نعم",
    choose: "— اختر —",
    address: "العنوان",
    submit: "إيداع الطلب",
    saveDraft: "حفظ كمسودة",
    draftSaved: "تم حفظ المسودة على هذا الجهاز.",
    draftRestored: (at) => `تمت استعادة مسودتك المحفوظة في ${at}.`,
    discardDraft: "حذف المسودة",
    errorsTitle: "يرجى تصحيح ما يلي",
    errorsCount: (n) =>
      plural(n, {
        one: "في الاستمارة خطأ واحد.",
        two: "في الاستمارة خطآن.",
        few: `في الاستمارة ${n} أخطاء.`,
        many: `في الاستمارة ${n} خطأً.`,
        other: `في الاستمارة ${n} خطأ.`,
      }),
    sending: "جارٍ الإرسال…",
    failed: "تعذر إيداع الطلب:",
    receiptTitle: "وصل إيداع الطلب",
    receiptLead: "احتفظوا بهذا الوصل: يلزم رمز التتبع والرمز السري لتتبع طلبكم.",
    trackingCode: "رمز التتبع",
    secret: "الرمز السري",
    secretNote: "يظهر مرة واحدة فقط.",
    communeLabel: "الجماعة",
    service: "الخدمة",
    submittedAt: "تاريخ الإيداع",
    decisionDue: "أجل اتخاذ القرار",
    silence: "سكوت الإدارة",
    documentsReceived: "الوثائق المتوصل بها",
    none: "لا شيء",
    print: "طباعة الوصل",
    trackThis: "تتبع هذا الطلب",
    trackTitle: "تتبع طلب",
    trackLead: "أدخلوا رمز التتبع والرمز السري الموجودين في وصل الإيداع.",
    track: "تتبع",
    state: "الحالة",
    history: "المراحل",
    notFound: "لا يوجد طلب بهذا الرمز وهذا الرمز السري.",
    trackMessages: "رسائل الإدارة",
    trackDocuments: "الوثائق المسلمة",
    download: "تحميل",
    verify: "التحقق",
    loading: "جارٍ التحميل…",
    unavailable: "الخدمة غير متوفرة حاليًا. حاولوا لاحقًا.",
    indicatorsNav: "مؤشرات الجماعة",
    indicatorsTitle: (name) => `مؤشرات جماعة ${name}`,
    indicatorsLead: (from, to) => `الطلبات المودعة من ${from} إلى ${to}. معطيات مفتوحة:`,
    byStateTitle: "الطلبات حسب الحالة",
    outcomes: { open: "قيد المعالجة", approved: "مقبولة", rejected: "مرفوضة", withdrawn: "مسحوبة", closed: "مغلقة" },
    processingTitle: "مدة المعالجة (من الإيداع إلى القرار)",
    medianLabel: "المدة الوسيطة",
    duration: { minutes: (n) => `${n} د`, hours: (n) => `${n} س`, days: (n) => `${n} ي` },
    noDecision: "لم يتخذ أي قرار خلال هذه الفترة.",
    deadlineTitle: "القرارات المتخذة داخل الأجل القانوني",
    deadlineOf: (within, decided) =>
      plural(decided, {
        one: `${within} من أصل قرار واحد`,
        two: `${within} من أصل قرارين`,
        few: `${within} من أصل ${decided} قرارات`,
        many: `${within} من أصل ${decided} قرارًا`,
        other: `${within} من أصل ${decided} قرار`,
      }),
    backlogTitle: "الطلبات قيد المعالجة حسب أقدميتها",
    ageBucket: (min, max) => {
      const n = max ?? min;
      const noun = plural(n, { zero: "يوم", one: "يوم", two: "يوم", few: "أيام", many: "يومًا", other: "يوم" });
      return max === null ? `${min} ${noun} فأكثر` : `${min}–${max} ${noun}`;
    },
  },
  fr: {
    siteTitle: "Services en ligne de la commune",
    skip: "Aller au contenu",
    settings: "Réglages",
    commune: "Commune",
    language: "Langue",
    trackNav: "Suivre une demande",
    footer: "Cette page repose sur le SDK Jamaa : les règles du serveur s'appliquent dans le navigateur.",
    catalogTitle: (name) => `Services en ligne de la commune de ${name}`,
    catalogLead: "Choisissez une démarche, remplissez le formulaire et recevez votre récépissé aussitôt.",
    deadline: "Délai légal",
    communeDeadline: "Délai fixé par la commune",
    fees: "Droits",
    free: "Gratuit",
    sameDay: "le jour même",
    days: (n, working) =>
      plural(n, { one: `${n} jour${working ? " ouvrable" : ""}`, other: `${n} jours${working ? " ouvrables" : ""}` }),
    back: "Retour aux services",
    documentsTitle: "Pièces à joindre",
    optional: "facultatif",
    requiredMark: "obligatoire",
    formats: (list, size) => `Formats acceptés : ${list} ; taille maximale ${size}`,
    yes: "Oui",
    choose: "— Choisir —",
    address: "Adresse",
    submit: "Déposer la demande",
    saveDraft: "Enregistrer le brouillon",
    draftSaved: "Brouillon enregistré sur cet appareil.",
    draftRestored: (at) => `Votre brouillon du ${at} a été restauré.`,
    discardDraft: "Supprimer le brouillon",
    errorsTitle: "Veuillez corriger ce qui suit",
    errorsCount: (n) => plural(n, { one: `Le formulaire contient ${n} erreur.`, other: `Le formulaire contient ${n} erreurs.` }),
    sending: "Envoi…",
    failed: "La demande n'a pas pu être déposée :",
    receiptTitle: "Récépissé de dépôt",
    receiptLead: "Conservez ce récépissé : le code de suivi et le code secret permettent de suivre votre demande.",
    trackingCode: "Code de suivi",
    secret: "Code secret",
    secretNote: "Affiché une seule fois.",
    communeLabel: "Commune",
    service: "Démarche",
    submittedAt: "Déposée le",
    decisionDue: "Décision attendue au plus tard le",
    silence: "Silence de l'administration",
    documentsReceived: "Pièces reçues",
    none: "aucune",
    print: "Imprimer le récépissé",
    trackThis: "Suivre cette demande",
    trackTitle: "Suivre une demande",
    trackLead: "Saisissez le code de suivi et le code secret de votre récépissé.",
    track: "Suivre",
    state: "État",
    history: "Étapes",
    notFound: "Aucune demande ne correspond à ce code et à ce code secret.",
    trackMessages: "Messages de l'administration",
    trackDocuments: "Documents délivrés",
    download: "Télécharger",
    verify: "Vérifier",
    loading: "Chargement…",
    unavailable: "Le service est indisponible pour le moment. Réessayez plus tard.",
    indicatorsNav: "Indicateurs de la commune",
    indicatorsTitle: (name) => `Indicateurs de la commune de ${name}`,
    indicatorsLead: (from, to) => `Demandes déposées du ${from} au ${to}. Données ouvertes :`,
    byStateTitle: "Demandes par état",
    outcomes: { open: "En cours", approved: "Acceptées", rejected: "Refusées", withdrawn: "Retirées", closed: "Closes" },
    processingTitle: "Délai de traitement (du dépôt à la décision)",
    medianLabel: "Durée médiane",
    duration: { minutes: (n) => `${n} min`, hours: (n) => `${n} h`, days: (n) => `${n} j` },
    noDecision: "Aucune décision sur la période.",
    deadlineTitle: "Décisions prises dans le délai légal",
    deadlineOf: (within, decided) => plural(decided, { one: `${within} sur ${decided} décision`, other: `${within} sur ${decided} décisions` }),
    backlogTitle: "Demandes en cours par ancienneté",
    ageBucket: (min, max) => (max === null ? `${min} jours et plus` : `${min} à ${max} jours`),
  },
  tzm: {
    siteTitle: "ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵏ ⵜⵎⵙⵎⵓⵏⵜ ⴳ ⵓⵥⵟⵟⴰ",
    skip: "ⴷⴷⵓ ⵖⵔ ⵜⵓⵎⴰⵢⵜ",
    settings: "ⵉⵙⵖⵏⵓⵍⵏ",
    commune: "ⵜⴰⵎⵙⵎⵓⵏⵜ",
    language: "ⵜⵓⵜⵍⴰⵢⵜ",
    trackNav: "ⴹⴼⵕ ⴰⵙⵓⵜⵔ",
    footer: "ⵜⴰⵙⵏⴰ ⴰⴷ ⵜⵙⵙⵎⵔⴰⵙ Jamaa SDK: ⵉⵏⵎⵍⵓⵍⵏ ⵏ ⵓⵎⵙⵙⵓⴷⵙ ⵜⵜⵓⵙⵎⵔⴰⵙⵏ ⴳ ⵓⵙⵉⴳⴳⵍ.",
    catalogTitle: (name) => `ⵜⵉⵏⴰⴼⵓⵜⵉⵏ ⵏ ⵜⵎⵙⵎⵓⵏⵜ ⵏ ${name} ⴳ ⵓⵥⵟⵟⴰ`,
    catalogLead: "ⵙⵜⴰⵢ ⵜⴰⵙⵍⴽⵉⵜ, ⵄⵎⵎⵕ ⵜⴰⵍⵖⴰ ⵜⴰⵎⵥⴷ ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ ⵖⵉⵍⴰⴷ.",
    deadline: "ⴰⵣⵎⵣ ⴰⵏⴰⵎⵓⵙ",
    communeDeadline: "ⴰⵣⵎⵣ ⵉⵙⵡⵓⵔ ⵜ ⵜⵎⵙⵎⵓⵏⵜ",
    fees: "ⵉⵣⵔⴼⴰⵏ",
    free: "ⴱⵍⴰ ⴰⵙⵖⴰⵔ",
    sameDay: "ⴳ ⵡⴰⵙⵙ ⵏⵏⵉⵜ",
    days: (n, working) =>
      plural(n, { one: `${n} ⵡⴰⵙⵙ${working ? " ⵏ ⵜⵡⵓⵔⵉ" : ""}`, other: `${n} ⵡⵓⵙⵙⴰⵏ${working ? " ⵏ ⵜⵡⵓⵔⵉ" : ""}` }),
    back: "ⴰⵖⵓⵍ ⵖⵔ ⵜⵏⴰⴼⵓⵜⵉⵏ",
    documentsTitle: "ⵉⵙⵉⵎⵍⵏ",
    optional: "ⵓⵔ ⵉⵍⴰⵣⵎ",
    requiredMark: "ⵉⵍⴰⵣⵎ",
    formats: (list, size) => `ⵜⵉⵍⵖⵉⵡⵉⵏ ⵉⵜⵜⵓⵇⴱⴰⵍⵏ: ${list}; ⵜⴰⵖⵣⵉ ⵜⴰⵎⵇⵇⵔⴰⵏⵜ ${size}`,
    yes: "ⵢⴰⵀ",
    choose: "— ⵙⵜⴰⵢ —",
    address: "ⴰⵏⵙⴰ",
    submit: "ⵙⵔⵙ ⴰⵙⵓⵜⵔ",
    saveDraft: "ⵃⴹⵓ ⴰⵔⵓⵎⵉⵙ",
    draftSaved: "ⵉⵜⵜⵓⵃⴹⴰ ⵓⵔⵓⵎⵉⵙ ⴳ ⵓⵎⴰⵙⵙ ⴰⴷ.",
    draftRestored: (at) => `ⵉⵜⵜⵓⵔⴰⵔ ⵓⵔⵓⵎⵉⵙ ⵏⵏⴽ ⵏ ${at}.`,
    discardDraft: "ⴽⴽⵙ ⴰⵔⵓⵎⵉⵙ",
    errorsTitle: "ⵙⵖⵖⴷ ⵎⴰ ⴷ ⵉⴹⴼⵕⵏ",
    errorsCount: (n) => plural(n, { one: `ⵜⴰⵍⵖⴰ ⵖⵓⵔⵙ ${n} ⵜⵣⴳⵍⵜ.`, other: `ⵜⴰⵍⵖⴰ ⵖⵓⵔⵙ ${n} ⵜⵣⴳⵍⵉⵏ.` }),
    sending: "ⴰⵣⴰⵏ…",
    failed: "ⵓⵔ ⵉⵜⵜⵓⵙⵔⵙ ⵓⵙⵓⵜⵔ:",
    receiptTitle: "ⴰⵙⵍⴽⵉⵏ ⵏ ⵓⵙⵔⵙ",
    receiptLead: "ⵃⴹⵓ ⴰⵙⵍⴽⵉⵏ ⴰⴷ: ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ ⴷ ⵓⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ ⴰⵔ ⵜⵜⴰⴽⴽⴰⵏ ⴰⴷ ⵜⴹⴼⵕⴷ ⴰⵙⵓⵜⵔ ⵏⵏⴽ.",
    trackingCode: "ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ",
    secret: "ⴰⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ",
    secretNote: "ⵉⵜⵜⵓⵙⵎⴰⵍⴰ ⵢⴰⵜ ⵜⵉⴽⴽⵍⵜ ⵖⴰⵙ.",
    communeLabel: "ⵜⴰⵎⵙⵎⵓⵏⵜ",
    service: "ⵜⴰⵙⵍⴽⵉⵜ",
    submittedAt: "ⵜⵜⵓⵙⵔⵙ ⴳ",
    decisionDue: "ⴰⵣⵎⵣ ⴰⵎⴳⴳⴰⵔⵓ ⵏ ⵜⴳⵜⵜⵓⵎⵜ",
    silence: "ⴰⵙⵙⵓⵙⵎ ⵏ ⵜⵏⴱⴱⴰⴹⵜ",
    documentsReceived: "ⵉⵙⵉⵎⵍⵏ ⵉⵜⵜⵓⵎⵥⵏ",
    none: "ⵓⵍⴰ ⵢⴰⵏ",
    print: "ⵙⵙⵓⵖⵍ ⴰⵙⵍⴽⵉⵏ",
    trackThis: "ⴹⴼⵕ ⴰⵙⵓⵜⵔ ⴰⴷ",
    trackTitle: "ⴹⴼⵕ ⴰⵙⵓⵜⵔ",
    trackLead: "ⵙⴽⵛⵎ ⴰⵎⴰⵜⴰⵔ ⵏ ⵓⴹⴼⴼⵓⵔ ⴷ ⵓⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ ⵏ ⵓⵙⵍⴽⵉⵏ ⵏⵏⴽ.",
    track: "ⴹⴼⵕ",
    state: "ⴰⴷⴷⴰⴷ",
    history: "ⵜⵉⴼⴼⵓⵙⵉⵏ",
    notFound: "ⵓⵔ ⵉⵍⵍⵉ ⴽⵔⴰ ⵏ ⵓⵙⵓⵜⵔ ⵙ ⵓⵎⴰⵜⴰⵔ ⴰⴷ ⴷ ⵓⵎⴰⵜⴰⵔ ⵓⴼⴼⵉⵔ ⴰⴷ.",
    trackMessages: "ⵜⵉⵣⵏⴰⵏ ⵏ ⵜⵏⴱⴱⴰⴹⵜ",
    trackDocuments: "ⵉⵔⵔⴰⵜⵏ ⵉⵜⵜⵓⴼⴽⴰⵏ",
    download: "ⴰⴳⵎ",
    verify: "ⵙⵏⵇⴷ",
    loading: "ⴰⵙⴰⵍⵉ…",
    unavailable: "ⵜⴰⵏⴰⴼⵓⵜ ⵓⵔ ⵜⵍⵍⵉ ⵖⵉⵍⴰⴷ. ⵄⴰⵡⴷ ⴷⴼⴼⵉⵔ.",
    indicatorsNav: "ⵉⵎⵎⴰⵜⴰⵔⵏ ⵏ ⵜⵎⵙⵎⵓⵏⵜ",
    indicatorsTitle: (name) => `ⵉⵎⵎⴰⵜⴰⵔⵏ ⵏ ⵜⵎⵙⵎⵓⵏⵜ ⵏ ${name}`,
    indicatorsLead: (from, to) => `ⵉⵙⵓⵜⵔⵏ ⵉⵜⵜⵓⵙⵔⵙⵏ ⵙⴳ ${from} ⴰⵔ ${to}. ⵉⵙⴼⴽⴰ ⵉⵕⵣⵎⵏ:`,
    byStateTitle: "ⵉⵙⵓⵜⵔⵏ ⵙ ⵓⴷⴷⴰⴷ",
    outcomes: { open: "ⴰⵔ ⵜⵜⵓⵙⵎⵓⵜⵜⴰⴳⵏ", approved: "ⵜⵜⵓⵇⴱⴰⵍⵏ", rejected: "ⵜⵜⵓⴳⵢⴰⵏ", withdrawn: "ⵜⵜⵓⴽⴽⵙⵏ", closed: "ⵜⵜⵓⵔⴳⵍⵏ" },
    processingTitle: "ⵜⵉⵣⵉ ⵏ ⵓⵙⵎⵓⵜⵜⴳ (ⵙⴳ ⵓⵙⵔⵙ ⴰⵔ ⵜⴳⵜⵜⵓⵎⵜ)",
    medianLabel: "ⵜⵉⵣⵉ ⵜⴰⵏⴰⵎⵎⴰⵙⵜ",
    duration: { minutes: (n) => `${n} ⵜⵓⵙⴷⵉⴷⵜ`, hours: (n) => `${n} ⵜⵙⵔⴰⴳⵜ`, days: (n) => `${n} ⵡⵓⵙⵙⴰⵏ` },
    noDecision: "ⵓⵔ ⵜⵍⵍⵉ ⴽⵔⴰ ⵏ ⵜⴳⵜⵜⵓⵎⵜ ⴳ ⵜⵉⵣⵉ ⴰⴷ.",
    deadlineTitle: "ⵜⵉⴳⵜⵜⵓⵎⵉⵏ ⵉⵜⵜⵓⵙⴽⴰⵔⵏ ⴳ ⵓⵣⵎⵣ ⴰⵏⴰⵎⵓⵙ",
    deadlineOf: (within, decided) => plural(decided, { one: `${within} ⵙⴳ ${decided} ⵜⴳⵜⵜⵓⵎⵜ`, other: `${within} ⵙⴳ ${decided} ⵜⴳⵜⵜⵓⵎⵉⵏ` }),
    backlogTitle: "ⵉⵙⵓⵜⵔⵏ ⵍⵍⵉ ⴰⵔ ⵜⵜⵓⵙⵎⵓⵜⵜⴰⴳⵏ ⵙ ⵜⵉⵣⵉ ⵏⵏⵙⵏ",
    ageBucket: (min, max) => (max === null ? `${min} ⵡⵓⵙⵙⴰⵏ ⴷ ⵓⴳⴳⴰⵔ` : `${min}–${max} ⵡⵓⵙⵙⴰⵏ`),
  },
  en: {
    siteTitle: "The commune's online services",
    skip: "Skip to content",
    settings: "Settings",
    commune: "Commune",
    language: "Language",
    trackNav: "Track a request",
    footer: "This page runs on the Jamaa SDK: the server's rules apply in the browser.",
    catalogTitle: (name) => `Online services of the commune of ${name}`,
    catalogLead: "Choose a procedure, fill in the form and get your receipt at once.",
    deadline: "Legal time limit",
    communeDeadline: "Time limit set by the commune",
    fees: "Fees",
    free: "Free",
    sameDay: "the same day",
    days: (n, working) => plural(n, { one: `${n} ${working ? "working " : ""}day`, other: `${n} ${working ? "working " : ""}days` }),
    back: "Back to the services",
    documentsTitle: "Documents to attach",
    optional: "optional",
    requiredMark: "required",
    formats: (list, size) => `Accepted formats: ${list}; maximum size ${size}`,
    yes: "Yes",
    choose: "— Choose —",
    address: "Address",
    submit: "Submit the request",
    saveDraft: "Save the draft",
    draftSaved: "Draft saved on this device.",
    draftRestored: (at) => `Your draft of ${at} has been restored.`,
    discardDraft: "Delete the draft",
    errorsTitle: "Please correct the following",
    errorsCount: (n) => plural(n, { one: `The form has ${n} error.`, other: `The form has ${n} errors.` }),
    sending: "Sending…",
    failed: "The request could not be submitted:",
    receiptTitle: "Receipt of filing",
    receiptLead: "Keep this receipt: the tracking code and the secret code let you track your request.",
    trackingCode: "Tracking code",
    secret: "Secret code",
    secretNote: "Shown only once.",
    communeLabel: "Commune",
    service: "Procedure",
    submittedAt: "Filed on",
    decisionDue: "Decision due by",
    silence: "Administration's silence",
    documentsReceived: "Documents received",
    none: "none",
    print: "Print the receipt",
    trackThis: "Track this request",
    trackTitle: "Track a request",
    trackLead: "Enter the tracking code and the secret code from your receipt.",
    track: "Track",
    state: "State",
    history: "Steps",
    notFound: "No request matches this code and secret code.",
    trackMessages: "Messages from the administration",
    trackDocuments: "Documents issued",
    download: "Download",
    verify: "Verify",
    loading: "Loading…",
    unavailable: "The service is unavailable for now. Try again later.",
    indicatorsNav: "The commune's indicators",
    indicatorsTitle: (name) => `Indicators of the commune of ${name}`,
    indicatorsLead: (from, to) => `Requests filed from ${from} to ${to}. Open data:`,
    byStateTitle: "Requests by state",
    outcomes: { open: "Open", approved: "Approved", rejected: "Refused", withdrawn: "Withdrawn", closed: "Closed" },
    processingTitle: "Processing time (from filing to decision)",
    medianLabel: "Median time",
    duration: { minutes: (n) => `${n} min`, hours: (n) => `${n} h`, days: (n) => `${n} d` },
    noDecision: "No decision in the period.",
    deadlineTitle: "Decisions within the legal time limit",
    deadlineOf: (within, decided) => plural(decided, { one: `${within} of ${decided} decision`, other: `${within} of ${decided} decisions` }),
    backlogTitle: "Open requests by age",
    ageBucket: (min, max) => (max === null ? `${min} days or more` : `${min} to ${max} days`),
  },
  es: {
    siteTitle: "Servicios en línea del municipio",
    skip: "Ir al contenido",
    settings: "Ajustes",
    commune: "Municipio",
    language: "Idioma",
    trackNav: "Seguir una solicitud",
    footer: "Esta página funciona con el SDK de Jamaa: las reglas del servidor se aplican en el navegador.",
    catalogTitle: (name) => `Servicios en línea del municipio de ${name}`,
    catalogLead: "Elija un trámite, rellene el formulario y reciba su justificante al momento.",
    deadline: "Plazo legal",
    communeDeadline: "Plazo fijado por el municipio",
    fees: "Tasas",
    free: "Gratuito",
    sameDay: "el mismo día",
    days: (n, working) => plural(n, { one: `${n} día${working ? " hábil" : ""}`, other: `${n} días${working ? " hábiles" : ""}` }),
    back: "Volver a los servicios",
    documentsTitle: "Documentos que se han de adjuntar",
    optional: "opcional",
    requiredMark: "obligatorio",
    formats: (list, size) => `Formatos aceptados: ${list}; tamaño máximo ${size}`,
    yes: "Sí",
    choose: "— Elegir —",
    address: "Dirección",
    submit: "Presentar la solicitud",
    saveDraft: "Guardar el borrador",
    draftSaved: "Borrador guardado en este dispositivo.",
    draftRestored: (at) => `Se ha restaurado su borrador del ${at}.`,
    discardDraft: "Eliminar el borrador",
    errorsTitle: "Corrija lo siguiente",
    errorsCount: (n) => plural(n, { one: `El formulario tiene ${n} error.`, other: `El formulario tiene ${n} errores.` }),
    sending: "Enviando…",
    failed: "No se ha podido presentar la solicitud:",
    receiptTitle: "Justificante de presentación",
    receiptLead: "Conserve este justificante: el código de seguimiento y el código secreto permiten seguir su solicitud.",
    trackingCode: "Código de seguimiento",
    secret: "Código secreto",
    secretNote: "Se muestra una sola vez.",
    communeLabel: "Municipio",
    service: "Trámite",
    submittedAt: "Presentada el",
    decisionDue: "Decisión a más tardar el",
    silence: "Silencio de la administración",
    documentsReceived: "Documentos recibidos",
    none: "ninguno",
    print: "Imprimir el justificante",
    trackThis: "Seguir esta solicitud",
    trackTitle: "Seguir una solicitud",
    trackLead: "Introduzca el código de seguimiento y el código secreto de su justificante.",
    track: "Seguir",
    state: "Estado",
    history: "Etapas",
    notFound: "Ninguna solicitud corresponde a este código y a este código secreto.",
    trackMessages: "Mensajes de la administración",
    trackDocuments: "Documentos expedidos",
    download: "Descargar",
    verify: "Verificar",
    loading: "Cargando…",
    unavailable: "El servicio no está disponible por el momento. Inténtelo más tarde.",
    indicatorsNav: "Indicadores del municipio",
    indicatorsTitle: (name) => `Indicadores del municipio de ${name}`,
    indicatorsLead: (from, to) => `Solicitudes presentadas del ${from} al ${to}. Datos abiertos:`,
    byStateTitle: "Solicitudes por estado",
    outcomes: { open: "En curso", approved: "Aceptadas", rejected: "Denegadas", withdrawn: "Retiradas", closed: "Cerradas" },
    processingTitle: "Plazo de tramitación (de la presentación a la decisión)",
    medianLabel: "Duración mediana",
    duration: { minutes: (n) => `${n} min`, hours: (n) => `${n} h`, days: (n) => `${n} d` },
    noDecision: "Ninguna decisión en el período.",
    deadlineTitle: "Decisiones tomadas dentro del plazo legal",
    deadlineOf: (within, decided) => plural(decided, { one: `${within} de ${decided} decisión`, other: `${within} de ${decided} decisiones` }),
    backlogTitle: "Solicitudes en curso por antigüedad",
    ageBucket: (min, max) => (max === null ? `${min} días o más` : `${min} a ${max} días`),
  },
};


const client = createClient({ endpoint: "/graphql" });
const state = {
  lang: initialLanguage(),
  communes: [],
  commune: null,
  receipt: null,
  tracking: { code: "", secret: "" },
};
const view = document.getElementById("view");
const communeSelect = /** @type {HTMLSelectElement} */ (document.getElementById("commune"));

function t(key, ...args) {
  const text = TEXTS[state.lang][key];
  return typeof text === "function" ? text(...args) : text;
}

/** @returns {import("/sdk/index.js").Locale} */
function initialLanguage() {
  const asked = new URLSearchParams(location.search).get("lang") ?? localStorage.getItem("jamaa:lang");
  return asked in TEXTS ? /** @type {import("/sdk/index.js").Locale} */ (asked) : "ar";
}

/** The languages' names in themselves. */
const ENDONYMS = { ar: "العربية", tzm: "ⵜⴰⵎⴰⵣⵉⵖⵜ", fr: "Français", en: "English", es: "Español" };

/** The form of `forms` (`zero`, `one`, `two`, `few`, `many`, `other`) the language's plural rules pick for `n`. */
function plural(n, forms) {
  const category = new Intl.PluralRules(locale()).select(n);
  return forms[category] ?? forms.other;
}

/** `h("p", {class: "x"}, "text", child)`: an element; strings become text nodes, never HTML. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

function announce(text) {
  const region = document.getElementById("announce");
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

function show(title, ...children) {
  view.replaceChildren(...children);
  document.title = `${title} — ${t("siteTitle")}`;
  document.getElementById("main").focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------- language

function applyLanguage() {
  const html = document.documentElement;
  html.lang = state.lang;
  html.dir = textDirection(state.lang);
  client.locale = state.lang;
  for (const element of document.querySelectorAll("[data-t]")) {
    if (element instanceof HTMLElement) element.textContent = t(element.dataset.t);
  }
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-lang]"))) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.lang));
  }
}

async function setLanguage(lang) {
  state.lang = lang;
  localStorage.setItem("jamaa:lang", lang);
  applyLanguage();
  await loadCommunes();
  await route();
}

// ---------------------------------------------------------------------------------------------- formatting

/** The locale of `Intl` for the page's language: Tamazight in Tifinagh is `zgh` (standard Moroccan Amazigh). */
function locale() {
  const tags = { ar: "ar-MA", fr: "fr-MA", en: "en-GB", es: "es-ES", tzm: "zgh-MA" };
  const tag = tags[state.lang] ?? "fr-MA";
  return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : "fr-MA";
}

/** The time zone of the chosen commune: dates and times are the commune's, whatever the browser's zone. */
function communeZone() {
  return state.communes.find((c) => c.slug === state.commune)?.timeZone ?? "Africa/Casablanca";
}

function formatDate(isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** A moment in the commune's time zone, said as such: `2 mars 2026 à 14:05 (Africa/Casablanca)`. */
function formatDateTime(iso) {
  const zone = communeZone();
  const text = new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short", timeZone: zone }).format(
    new Date(iso),
  );
  return `${text} (${zone})`;
}

function formatMoney(fee) {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: fee.currency }).format(fee.amountMinor / 100);
}

function formatSize(bytes) {
  const mb = bytes / (1024 * 1024);
  const unit = { ar: "ميغابايت", fr: "Mo", tzm: "MB", en: "MB", es: "MB" }[state.lang] ?? "MB";
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(mb)} ${unit}`;
}

/** A procedure's deadline is the law's when it cites a legal text, else the commune's own. */
function deadlineLabel(service) {
  return t(service.deadlineSetBy === "COMMUNE" ? "communeDeadline" : "deadline");
}

function deadlineText(deadline) {
  return deadline.days === 0 ? t("sameDay") : t("days", deadline.days, deadline.workingDays);
}

function feesText(fees) {
  return fees.length === 0 ? t("free") : fees.map(formatMoney).join(" + ");
}

// ---------------------------------------------------------------------------------------------- routing

async function loadCommunes() {
  state.communes = await client.listCommunes();
  communeSelect.replaceChildren(
    ...state.communes.map((commune) => h("option", { value: commune.slug }, commune.name)),
  );
  if (!state.communes.some((c) => c.slug === state.commune)) state.commune = state.communes[0]?.slug ?? null;
  communeSelect.value = state.commune;
  renderLanguages();
}

/** One button per language the chosen commune enables (its default first), each in its own direction. */
function renderLanguages() {
  const commune = state.communes.find((c) => c.slug === state.commune);
  const enabled = commune ? [commune.defaultLocale, ...commune.locales] : ["ar", "fr"];
  const offered = [...new Set(enabled)].filter((lang) => lang in TEXTS);
  const group = document.getElementById("languages");
  group.replaceChildren(
    group.querySelector("#languages-label"),
    ...offered.map((lang) =>
      h(
        "button",
        {
          type: "button",
          "data-lang": lang,
          lang,
          dir: textDirection(lang),
          "aria-pressed": String(lang === state.lang),
          onclick: () => setLanguage(lang),
        },
        ENDONYMS[lang],
      ),
    ),
  );
}

async function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "track") return renderTrack();
    if (parts[0] === "receipt" && state.receipt) return renderReceipt();
    if (parts[0] === "c" && parts[1]) {
      state.commune = parts[1];
      communeSelect.value = state.commune;
      if (parts[2] === "s" && parts[3]) return await renderService(parts[3]);
      if (parts[2] === "indicators") return await renderIndicators();
    }
    return await renderCatalog();
  } catch (error) {
    show(t("siteTitle"), h("p", { class: "error", role: "alert" }, t("unavailable"), " ", error.message));
  }
}

// ---------------------------------------------------------------------------------------------- catalog

async function renderCatalog() {
  view.replaceChildren(h("p", {}, t("loading")));
  const commune = state.communes.find((c) => c.slug === state.commune);
  const services = await client.listServices(state.commune);
  const title = t("catalogTitle", commune?.name ?? state.commune);
  show(
    title,
    h("h1", {}, title),
    h("p", { class: "lead" }, t("catalogLead")),
    h("p", {}, h("a", { href: `#/c/${state.commune}/indicators`, id: "indicators-link" }, t("indicatorsNav"))),
    h(
      "ul",
      { class: "services" },
      services.map((service) =>
        h(
          "li",
          {},
          h(
            "article",
            { class: "service-card" },
            h("h2", {}, h("a", { href: `#/c/${state.commune}/s/${service.code}` }, service.name)),
            h(
              "dl",
              { class: "facts" },
              h("div", {}, h("dt", {}, deadlineLabel(service)), h("dd", {}, deadlineText(service.deadline))),
              h("div", {}, h("dt", {}, t("fees")), h("dd", {}, feesText(service.fees))),
            ),
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------- form

async function renderService(code) {
  view.replaceChildren(h("p", {}, t("loading")));
  const [service, commune] = await Promise.all([
    client.getService(state.commune, code),
    client.getCommune(state.commune),
  ]);
  const form = new ServiceForm(service, commune);
  show(
    service.name,
    h("p", { class: "no-print" }, h("a", { href: `#/c/${state.commune}` }, t("back"))),
    h("h1", {}, service.name),
    h("p", { class: "lead" }, service.description),
    h(
      "dl",
      { class: "facts" },
      h("div", {}, h("dt", {}, deadlineLabel(service)), h("dd", {}, deadlineText(service.deadline))),
      h("div", {}, h("dt", {}, t("fees")), h("dd", {}, feesText(service.fees))),
      h("div", {}, h("dt", {}, t("silence")), h("dd", {}, service.silenceMeans)),
    ),
    form.element,
  );
  form.restoreDraft();
}

/** One procedure's form: controls built from the service's fields, checked by the SDK as the citizen types. */
class ServiceForm {
  constructor(service, commune) {
    this.service = service;
    this.commune = commune;
    this.touched = new Set();
    this.attempted = false;
    this.documents = new Map();
    this.controls = new Map();
    this.summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true });
    this.notice = h("p", { class: "notice", role: "status", hidden: true });
    const fields = service.fields.map((field) => this.field(field));
    const documents = service.documents.length
      ? h(
          "fieldset",
          {},
          h("legend", {}, t("documentsTitle")),
          service.documents.map((document) => this.document(document)),
        )
      : null;
    this.element = h(
      "form",
      { novalidate: true, onsubmit: (event) => this.submit(event), oninput: (e) => this.changed(e, false) },
      this.summary,
      this.notice,
      fields,
      documents,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "button" }, t("submit")),
        h("button", { type: "button", class: "button secondary", onclick: () => this.saveDraft() }, t("saveDraft")),
      ),
    );
    this.element.addEventListener("change", (event) => this.changed(event, true));
    this.refresh();
  }

  field(field) {
    const id = `f-${field.key}`;
    const errorId = `err-${field.key}`;
    const helpId = field.help ? `help-${field.key}` : null;
    const describedBy = [helpId, errorId].filter(Boolean).join(" ");
    const mark = h("span", { class: "required-mark", "aria-hidden": "true" }, " *");
    const common = { id, name: field.key, "aria-describedby": describedBy, "data-key": field.key };
    let control;
    let body;
    switch (field.type) {
      case "long_text":
        control = h("textarea", common);
        break;
      case "choice":
        control = h(
          "select",
          common,
          h("option", { value: "" }, t("choose")),
          field.options.map((option) => h("option", { value: option.value }, option.label)),
        );
        break;
      case "multi_choice":
        body = h(
          "fieldset",
          { id, "aria-describedby": describedBy, "data-key": field.key },
          h("legend", {}, field.label, mark),
          field.options.map((option) =>
            h(
              "label",
              { class: "choice" },
              h("input", { type: "checkbox", name: field.key, value: option.value, "data-key": field.key }),
              option.label,
            ),
          ),
        );
        break;
      case "boolean":
        control = h("input", { ...common, type: "checkbox" });
        body = h("label", { class: "choice", for: id }, control, field.label, mark);
        break;
      case "number":
        control = h("input", { ...common, type: "number", step: "any", inputmode: "decimal" });
        break;
      case "money":
        control = h("input", { ...common, type: "number", step: "0.01", min: "0", inputmode: "decimal" });
        break;
      case "date":
        control = h("input", { ...common, type: "date" });
        break;
      case "email":
        control = h("input", { ...common, type: "email", autocomplete: "email", dir: "ltr" });
        break;
      case "phone":
        control = h("input", { ...common, type: "tel", autocomplete: "tel", dir: "ltr" });
        break;
      case "national_id":
        control = h("input", { ...common, type: "text", autocomplete: "off", spellcheck: "false", dir: "ltr" });
        break;
      case "location":
        control = h("input", { ...common, type: "text", autocomplete: "street-address" });
        break;
      default:
        control = h("input", { ...common, type: "text" });
    }
    const wrapper = h(
      "div",
      { class: "field", "data-field": field.key },
      body ?? [h("label", { for: id }, field.label, mark), control],
      helpId ? h("p", { class: "hint", id: helpId }, field.help) : null,
      h("p", { class: "error", id: errorId, "aria-live": "polite" }),
    );
    this.controls.set(field.key, { field, wrapper, mark });
    return wrapper;
  }

  document(requirement) {
    const id = `doc-${requirement.code}`;
    const errorId = `err-doc-${requirement.code}`;
    const hintId = `hint-doc-${requirement.code}`;
    const formats = requirement.formats.map((f) => f.split("/")[1]?.toUpperCase() ?? f).join(", ");
    const input = h("input", {
      type: "file",
      id,
      accept: requirement.formats.join(","),
      "aria-describedby": `${hintId} ${errorId}`,
      "data-document": requirement.code,
      "aria-required": requirement.mandatory ? "true" : false,
      onchange: (event) => this.attach(requirement.code, event.target.files[0]),
    });
    return h(
      "div",
      { class: "field", "data-document": requirement.code },
      h(
        "label",
        { for: id },
        requirement.label,
        requirement.mandatory
          ? h("span", { class: "required-mark", "aria-hidden": "true" }, " *")
          : ` (${t("optional")})`,
      ),
      input,
      h("p", { class: "hint", id: hintId }, t("formats", formats, formatSize(requirement.maxSizeBytes))),
      h("p", { class: "error", id: errorId, "aria-live": "polite" }),
    );
  }

  async attach(code, file) {
    if (!file) {
      this.documents.delete(code);
    } else {
      const document = { code, fileName: file.name, mediaType: file.type || "application/octet-stream", sizeBytes: file.size };
      if (globalThis.crypto?.subtle) {
        const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
        document.sha256 = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
      }
      this.documents.set(code, document);
    }
    this.touched.add(`doc:${code}`);
    this.refresh();
  }

  /** The form data as the API takes it: empty fields left out, numbers as numbers. */
  data() {
    const data = {};
    for (const [key, { field, wrapper }] of this.controls) {
      if (field.type === "multi_choice") {
        const chosen = [...wrapper.querySelectorAll("input:checked")].map((input) => input.value);
        if (chosen.length) data[key] = chosen;
        continue;
      }
      const control = wrapper.querySelector(`#f-${key}`);
      if (field.type === "boolean") {
        if (control.checked) data[key] = true;
        continue;
      }
      const value = control.value;
      if (value.trim() === "") continue;
      if (field.type === "number" || field.type === "money") {
        data[key] = Number.isFinite(Number(value)) ? Number(value) : value;
      } else if (field.type === "location") {
        data[key] = { address: value };
      } else {
        data[key] = value;
      }
    }
    return data;
  }

  changed(event, leaving) {
    const key = event.target.dataset?.key;
    if (!key) return;
    // Messages appear once the citizen leaves a field, and disappear as soon as the value is right.
    if (leaving || this.showsError(key)) this.touched.add(key);
    whenPointerReleased(() => this.refresh());
  }

  showsError(key) {
    return Boolean(this.controls.get(key)?.wrapper.querySelector(".error")?.textContent);
  }

  /** Shows and hides the fields by the form's conditions, and the messages of the fields already visited. */
  refresh(all = this.attempted) {
    const data = this.data();
    for (const fieldState of fieldStates(this.service.formSchema, data, this.commune.country)) {
      const control = this.controls.get(fieldState.key);
      if (!control) continue;
      control.wrapper.hidden = !fieldState.visible;
      control.mark.hidden = !fieldState.required;
      for (const input of control.wrapper.querySelectorAll("input, select, textarea")) {
        if (fieldState.required) input.setAttribute("aria-required", "true");
        else input.removeAttribute("aria-required");
      }
    }
    const result = validateSubmission(
      this.service.definition,
      data,
      [...this.documents.values()],
      this.commune.country,
      state.lang,
    );
    const messages = new Map();
    for (const error of result.errors) {
      const target = this.target(error.path);
      if (target && !messages.has(target)) messages.set(target, error.message);
    }
    for (const [key, { wrapper }] of this.controls) this.mark(wrapper, key, messages.get(key), all);
    for (const requirement of this.service.documents) {
      const wrapper = this.element.querySelector(`[data-document="${requirement.code}"].field`);
      this.mark(wrapper, `doc:${requirement.code}`, messages.get(`doc:${requirement.code}`), all);
    }
    return result;
  }

  mark(wrapper, key, message, all) {
    const shown = message && (all || this.touched.has(key)) ? message : "";
    const error = wrapper.querySelector(".error");
    if (error.textContent !== shown) error.textContent = shown;
    for (const input of wrapper.querySelectorAll("input, select, textarea, fieldset")) {
      if (shown) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  /** The field (`cin`) or document (`doc:plans`) an error path (`input.data.cin`, `input.documents[0].code`) is about. */
  target(path) {
    const data = /^input\.data\.([a-z][a-z0-9_]*)/.exec(path);
    if (data) return data[1];
    const index = /^input\.documents\[(\d+)\]/.exec(path);
    if (index) return `doc:${[...this.documents.values()][Number(index[1])]?.code}`;
    const missing = /^input\.documents\.([^.[]+)/.exec(path);
    if (missing) return `doc:${missing[1]}`;
    return null;
  }

  showSummary(errors) {
    const items = errors.map((error) => {
      const target = this.target(error.path);
      const id = target?.startsWith("doc:") ? `doc-${target.slice(4)}` : `f-${target}`;
      const label = target ? this.element.querySelector(`label[for="${id}"], #${CSS.escape(id)} legend`) : null;
      const text = label ? `${label.textContent.replace(/\s*\*$/, "")} : ${error.message}` : error.message;
      return h("li", {}, target ? h("a", { href: `#${id}`, onclick: (event) => focusControl(event, id) }, text) : text);
    });
    this.summary.replaceChildren(
      h("h2", {}, t("errorsTitle")),
      h("p", {}, t("errorsCount", errors.length)),
      h("ul", {}, items),
    );
    this.summary.hidden = false;
    this.summary.focus();
  }

  async submit(event) {
    event.preventDefault();
    // After a first attempt, every message stays in view until it is fixed.
    this.attempted = true;
    const checked = this.refresh();
    if (!checked.valid) {
      // The SDK refuses the same submission offline; nothing is sent.
      this.showSummary(checked.errors);
      return;
    }
    const button = this.element.querySelector('button[type="submit"]');
    button.disabled = true;
    button.textContent = t("sending");
    try {
      const submission = await client.submit(state.commune, this.service.code, this.data(), [...this.documents.values()]);
      state.receipt = submission;
      state.tracking = { code: submission.trackingCode, secret: submission.secret };
      location.hash = "#/receipt";
    } catch (error) {
      if (error instanceof JamaaError && error.code === "VALIDATION_FAILED" && error.fields.length) {
        this.showSummary(error.fields);
      } else {
        this.summary.replaceChildren(h("p", {}, t("failed"), " ", error.message));
        this.summary.hidden = false;
        this.summary.focus();
      }
    } finally {
      button.disabled = false;
      button.textContent = t("submit");
    }
  }

  saveDraft() {
    client.saveDraft(state.commune, this.service.code, this.data());
    this.notice.replaceChildren(t("draftSaved"));
    this.notice.hidden = false;
    announce(t("draftSaved"));
  }

  restoreDraft() {
    const draft = client.loadDraft(state.commune, this.service.code);
    if (!draft) return;
    for (const [key, value] of Object.entries(draft.data ?? {})) {
      const control = this.controls.get(key);
      if (!control) continue;
      if (control.field.type === "multi_choice") {
        for (const input of control.wrapper.querySelectorAll("input")) input.checked = Array.isArray(value) && value.includes(input.value);
      } else if (control.field.type === "boolean") {
        control.wrapper.querySelector("input").checked = value === true;
      } else if (control.field.type === "location") {
        control.wrapper.querySelector(`#f-${key}`).value = /** @type {{ address?: string } | null} */ (value)?.address ?? "";
      } else {
        control.wrapper.querySelector(`#f-${key}`).value = String(value);
      }
    }
    const discard = h("button", { type: "button", class: "button secondary", onclick: () => {
      client.deleteDraft(state.commune, this.service.code);
      this.notice.hidden = true;
    } }, t("discardDraft"));
    this.notice.replaceChildren(t("draftRestored", formatDateTime(draft.savedAt)), " ", discard);
    this.notice.hidden = false;
    this.refresh();
  }
}

// A message that appears when a field loses focus moves what is below it; if the focus left because a button was
// pressed, the button would move away before it is released and the click be lost. Messages wait for the release.
let pointerDown = false;
const afterRelease = [];
document.addEventListener("pointerdown", () => {
  pointerDown = true;
}, true);
document.addEventListener("pointerup", () => {
  pointerDown = false;
  setTimeout(() => afterRelease.splice(0).forEach((run) => run()));
}, true);

function whenPointerReleased(run) {
  if (pointerDown) afterRelease.push(run);
  else run();
}

function focusControl(event, id) {
  event.preventDefault();
  document.getElementById(id)?.focus();
}

// ---------------------------------------------------------------------------------------------- receipt

function renderReceipt() {
  const { receipt, secret } = state.receipt;
  const documents = receipt.documents.map((d) => d.fileName).join("، ") || t("none");
  show(
    t("receiptTitle"),
    h(
      "section",
      { class: "receipt", "aria-labelledby": "receipt-title", lang: receipt.locale, dir: receipt.direction },
      h("h1", { id: "receipt-title" }, t("receiptTitle")),
      h("p", { class: "lead" }, t("receiptLead")),
      h(
        "dl",
        {},
        h("dt", {}, t("trackingCode")),
        h("dd", {}, h("span", { class: "code", id: "tracking-code" }, receipt.trackingCode)),
        h("dt", {}, t("secret")),
        h("dd", {}, h("span", { class: "code", id: "secret" }, secret), " ", h("small", {}, t("secretNote"))),
        h("dt", {}, t("communeLabel")),
        h("dd", {}, receipt.communeName),
        h("dt", {}, t("service")),
        h("dd", {}, receipt.serviceName),
        h("dt", {}, t("submittedAt")),
        h("dd", {}, formatDateTime(receipt.submittedAt)),
        h("dt", {}, t("decisionDue")),
        h("dd", { id: "decision-due" }, h("time", { datetime: receipt.decisionDue }, formatDate(receipt.decisionDue))),
        h("dt", {}, t("silence")),
        h("dd", { id: "silence-means" }, receipt.silenceMeans),
        h("dt", {}, t("fees")),
        h("dd", {}, feesText(receipt.fees)),
        h("dt", {}, t("documentsReceived")),
        h("dd", {}, documents),
      ),
    ),
    h(
      "p",
      { class: "actions no-print" },
      h("button", { type: "button", class: "button", onclick: () => window.print() }, t("print")),
      h("a", { class: "button secondary", href: "#/track" }, t("trackThis")),
    ),
  );
  announce(`${t("receiptTitle")} ${receipt.trackingCode}`);
}

// ---------------------------------------------------------------------------------------------- tracking

/**
 * A document issued about the tracked request: its title and code, its text to download, its verification.
 * @param {import("/sdk/index.js").IssuedDocument} document
 */
function issuedDocument(document) {
  const file = URL.createObjectURL(new Blob([document.text], { type: "text/plain;charset=utf-8" }));
  return h(
    "li",
    {},
    `${document.title} — `,
    h("span", { class: "code" }, document.code),
    " ",
    h("a", { href: file, download: `${document.code}.txt`, class: "download" }, t("download")),
    " ",
    h("a", { href: document.verifyPath }, t("verify")),
  );
}

function renderTrack() {
  const codeInput = h("input", { type: "text", id: "track-code", dir: "ltr", autocomplete: "off",
    "aria-describedby": "track-error", value: state.tracking.code, required: true });
  const secretInput = h("input", { type: "text", id: "track-secret", dir: "ltr", autocomplete: "off",
    "aria-describedby": "track-error", value: state.tracking.secret, required: true });
  const error = h("p", { class: "error", id: "track-error", role: "alert" });
  const result = h("div", { id: "track-result", "aria-live": "polite" });
  const form = h(
    "form",
    {
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        error.textContent = "";
        result.replaceChildren();
        try {
          const request = await client.track(codeInput.value, secretInput.value);
          /** @type {{ trackRequest: { messages: { actionLabel: string, body: string, at: string }[] } }} */
          const { trackRequest } = await client.graphql(
            `query($code: String!, $secret: String!) { trackRequest(trackingCode: $code, secret: $secret) {
              messages { actionLabel body at } } }`,
            { code: request.trackingCode, secret: secretInput.value.trim() },
          );
          const documents = await client.trackedDocuments(request.trackingCode, secretInput.value);
          result.replaceChildren(
            h("h2", {}, request.serviceName, " — ", h("span", { class: "code" }, request.trackingCode)),
            h(
              "dl",
              { class: "facts" },
              h("div", {}, h("dt", {}, t("state")), h("dd", { id: "track-state" }, request.stateLabel)),
              h("div", {}, h("dt", {}, t("decisionDue")), h("dd", {}, formatDate(request.decisionDue))),
            ),
            h("h3", {}, t("history")),
            h(
              "ol",
              { class: "history" },
              request.history.map((step) => h("li", {}, `${formatDateTime(step.at)} — ${step.actionLabel} → ${step.stateLabel}`)),
            ),
            trackRequest.messages.length ? h("h3", {}, t("trackMessages")) : "",
            trackRequest.messages.length
              ? h("ul", { id: "track-messages" }, trackRequest.messages.map((m) => h("li", {}, `${formatDateTime(m.at)} — ${m.actionLabel} : ${m.body}`)))
              : "",
            documents.length ? h("h3", {}, t("trackDocuments")) : "",
            documents.length ? h("ul", { id: "track-documents" }, documents.map(issuedDocument)) : "",
          );
        } catch (failure) {
          error.textContent =
            failure.code === "NOT_FOUND" ? t("notFound") : failure.fields?.[0]?.message ?? failure.message;
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: "track-code" }, t("trackingCode")), codeInput),
    h("div", { class: "field" }, h("label", { for: "track-secret" }, t("secret")), secretInput),
    error,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button" }, t("track"))),
  );
  show(t("trackTitle"), h("h1", {}, t("trackTitle")), h("p", { class: "lead" }, t("trackLead")), form, result);
}

// ---------------------------------------------------------------------------------------------- indicators

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element; like `h`, text only through text nodes. */
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children.flat()) if (child !== null && child !== undefined) element.append(child);
  return element;
}

function formatNumber(n, digits = 0) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

/**
 * Horizontal bars, one per `{key, label, value}`, growing from the start side of the reading direction (the right
 * in Arabic). Each bar carries its raw value in `data-value`.
 */
function barChart(id, title, rows) {
  const rtl = textDirection(state.lang) === "rtl";
  const width = 640;
  const labelWidth = 200;
  const barSpace = width - labelWidth - 70;
  const rowHeight = 34;
  const max = Math.max(1, ...rows.map((row) => row.value));
  const height = rows.length * rowHeight + 8;
  const bars = rows.map((row, i) => {
    const y = 4 + i * rowHeight;
    const length = Math.max(1, Math.round((row.value / max) * barSpace));
    const barStart = rtl ? width - labelWidth - length : labelWidth;
    const labelX = rtl ? width : 0;
    const valueX = rtl ? barStart - 6 : barStart + length + 6;
    return s(
      "g",
      { class: "bar", "data-key": row.key, "data-value": row.value },
      s("text", { x: labelX, y: y + 20, "text-anchor": "start", class: "bar-label" }, row.label),
      s("rect", { x: barStart, y: y + 4, width: length, height: rowHeight - 10, rx: 3 }),
      s("text", { x: valueX, y: y + 20, "text-anchor": "start", class: "bar-value" }, formatNumber(row.value)),
    );
  });
  return h(
    "figure",
    { class: "chart", id },
    h("figcaption", { id: `${id}-title` }, title),
    s(
      "svg",
      { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`, direction: rtl ? "rtl" : "ltr" },
      bars,
    ),
  );
}

/** A duration in the unit that suits it: minutes under an hour, hours under a day, else days. */
function durationText(seconds) {
  const units = t("duration");
  if (seconds < 3600) return units.minutes(formatNumber(Math.ceil(seconds / 60)));
  if (seconds < 86400) return units.hours(formatNumber(seconds / 3600, 1));
  return units.days(formatNumber(seconds / 86400, 1));
}

/** A ring filled to `share` (0 to 1), with the percentage in its middle. */
function shareChart(id, title, share, caption) {
  const radius = 60;
  const circumference = 2 * Math.PI * radius;
  const filled = share === null ? 0 : share * circumference;
  const percent = share === null ? "—" : `${formatNumber(share * 100, 1)}%`;
  return h(
    "figure",
    { class: "chart", id },
    h("figcaption", { id: `${id}-title` }, title),
    s(
      "svg",
      { viewBox: "0 0 160 160", role: "img", "aria-labelledby": `${id}-title ${id}-caption`, class: "ring",
        "data-value": share === null ? "" : share },
      s("circle", { cx: 80, cy: 80, r: radius, class: "ring-track" }),
      s("circle", { cx: 80, cy: 80, r: radius, class: "ring-fill", "stroke-dasharray": `${filled} ${circumference}`,
        transform: "rotate(-90 80 80)" }),
      s("text", { x: 80, y: 88, "text-anchor": "middle", class: "ring-value" }, percent),
    ),
    h("p", { id: `${id}-caption` }, caption),
  );
}

async function renderIndicators() {
  view.replaceChildren(h("p", {}, t("loading")));
  const response = await fetch(`/opendata/${encodeURIComponent(state.commune)}/indicators.json?locale=${state.lang}`);
  const found = await response.json();
  if (!response.ok) throw new Error(found.errors?.[0]?.message ?? response.statusText);
  const title = t("indicatorsTitle", found.communeName);
  const outcomes = t("outcomes");
  const byState = ["open", "approved", "rejected", "withdrawn", "closed"].map((key) => ({
    key,
    label: outcomes[key],
    value: found.byOutcome[key],
  }));
  const medianDays = found.medianProcessingDays;
  const processing =
    medianDays === null
      ? h("figure", { class: "chart", id: "chart-processing" }, h("figcaption", {}, t("processingTitle")), h("p", {}, t("noDecision")))
      : barChart("chart-processing", t("processingTitle"), [
          { key: "median", label: t("medianLabel"), value: Math.round(medianDays * 10) / 10 },
        ]);
  const backlog = found.backlog.buckets.map((bucket) => ({
    key: `${bucket.minDays}`,
    label: t("ageBucket", bucket.minDays, bucket.maxDays),
    value: bucket.count,
  }));
  const base = `/opendata/${encodeURIComponent(state.commune)}/indicators`;
  show(
    title,
    h("p", { class: "no-print" }, h("a", { href: `#/c/${state.commune}` }, t("back"))),
    h("h1", {}, title),
    h(
      "p",
      { class: "lead" },
      t("indicatorsLead", formatDate(found.from), formatDate(found.to)),
      " ",
      h("a", { href: `${base}.csv` }, "CSV"),
      " · ",
      h("a", { href: `${base}.json` }, "JSON"),
    ),
    h(
      "div",
      { class: "charts" },
      barChart("chart-states", t("byStateTitle"), byState),
      processing,
      shareChart(
        "chart-deadline",
        t("deadlineTitle"),
        found.withinDeadlineShare,
        found.decided === 0 ? t("noDecision") : t("deadlineOf", found.decidedWithinDeadline, found.decided),
      ),
      barChart("chart-backlog", t("backlogTitle"), backlog),
    ),
  );
  if (medianDays !== null) {
    view.querySelector("#chart-processing .bar-value").textContent = durationText(found.medianProcessingSeconds);
  }
}

// ---------------------------------------------------------------------------------------------- start

async function start() {
  await init();
  applyLanguage();
  communeSelect.addEventListener("change", () => {
    state.commune = communeSelect.value;
    renderLanguages();
    location.hash = `#/c/${communeSelect.value}`;
  });
  window.addEventListener("hashchange", route);
  try {
    await loadCommunes();
  } catch (error) {
    show(t("siteTitle"), h("p", { class: "error", role: "alert" }, t("unavailable"), " ", error.message));
    return;
  }
  await route();
  document.documentElement.dataset.ready = "true";
}

start();
