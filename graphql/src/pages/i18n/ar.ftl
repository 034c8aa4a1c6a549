# صفحات الخادم: وصل الإيداع والتحقق (العربية).
receipt-title = وصل الإيداع
tracking-code-prompt = رمز التتبع:
wrong-secret = رمز التتبع أو الرمز السري غير صحيح.
secret-label = الرمز السري المسلم عند الإيداع
show-receipt = عرض الوصل
keep-or-print = احتفظوا بهذا الوصل أو اطبعوه (Ctrl+P).
qr-receipt = رمز الاستجابة السريعة لصفحة التتبع
tracking-code = رمز التتبع
procedure = المسطرة
submitted-on = تاريخ الإيداع
decision-due = أجل البت القانوني
state = الحالة
documents = الوثائق المودعة
documents-count = { $count ->
    [zero] لم تودع أي وثيقة.
    [one] وثيقة واحدة مودعة:
    [two] وثيقتان مودعتان:
    [few] { $count } وثائق مودعة:
    [many] { $count } وثيقة مودعة:
   *[other] { $count } وثيقة مودعة:
}
fees = الرسوم
free = مجانا.
at-deadline = عند انقضاء الأجل
tracking-page = صفحة التتبع:
time-in-zone = { $time } (بتوقيت { $zone })
date-in-zone = { $date } (حسب تقويم { $zone })
languages = اللغة
verify-title = التحقق من وثيقة
verify-not-found = لا توجد أي وثيقة تحمل هذا الرمز.
verify-not-a-code = هذا ليس رمز تحقق (مثال: CHF-7K3M-9XQ2-HT4P).
internal-error = خطأ داخلي.
training-commune = جماعة للتدريب — البيانات وهمية
verify-authentic = وثيقة أصلية: أصدرتها الجماعة بهذا الرمز.
verify-code = الرمز
verify-commune = الجماعة
verify-document = الوثيقة
verify-issued-on = تاريخ الإصدار
verify-fingerprint = البصمة
verify-text-same = النص المقدم مطابق للوثيقة الصادرة: لم يتغير.
verify-text-differs = النص المقدم يختلف عن الوثيقة الصادرة.
verify-paste = الصق نص الوثيقة للتأكد من أنه لم يتغير:
verify-button = تحقق
