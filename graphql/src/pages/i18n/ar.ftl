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
issued-documents = الوثائق المسلمة
issued-verify = التحقق من هذه الوثيقة
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
verify-withdrawn = وثيقة سحبت: أصدرتها الجماعة بهذا الرمز ثم سحبتها، فلم تعد تثبت ما تتضمنه.
verify-withdrawn-by = سحبت بموجب
verify-withdrawn-on = تاريخ السحب
verify-code = الرمز
verify-commune = الجماعة
verify-document = الوثيقة
verify-issued-on = تاريخ الإصدار
verify-fingerprint = البصمة
verify-text-same = النص المقدم مطابق للوثيقة الصادرة: لم يتغير.
verify-text-differs = النص المقدم يختلف عن الوثيقة الصادرة.
verify-paste = الصق نص الوثيقة للتأكد من أنه لم يتغير:
verify-button = تحقق
projects-title = مشاريع برنامج عمل الجماعة
projects-intro = مشاريع برنامج عمل الجماعة: تقدمها ومراحلها وميزانيتها.
projects-none = لا يوجد أي مشروع منشور.
projects-no-commune = هذه الجماعة غير موجودة.
projects-open-data = البيانات المفتوحة:
project-code = الرمز
project-category = الصنف
project-status = الحالة
project-progress = نسبة التقدم
project-percent = { $percent } %
project-period = برنامج العمل
project-dates = البداية والنهاية
project-place = المكان
project-budget = الميزانية المبرمجة
project-budget-lines = سطور الميزانية
project-budget-line = الفصل، المادة، الفقرة
project-year = السنة
project-amount = المبلغ المبرمج
project-milestones = المراحل
project-due = الأجل
project-done = أنجزت في
project-not-done = لم تنجز بعد
project-updates = التقدم عبر الزمن
project-not-found = لا يوجد أي مشروع منشور بهذا الرمز.
project-all = جميع المشاريع
payment-title = الأداء الإلكتروني
payment-paid = تم استلام الأداء: سجلت الجماعة أداءكم.
payment-pending = الأداء في الانتظار: لم تتوصل الجماعة بعد بجواب البنك. يرجى العودة لاحقا.
payment-refused = رفض البنك الأداء: لم يقتطع أي مبلغ. يمكنكم المحاولة من جديد.
payment-expired = لم يصل جواب الأداء في الأجل: إن اقتطع المبلغ فستسجله الجماعة بناء على كشف البنك.
payment-not-found = لا يوجد أداء بهذا المرجع.
payment-amount = المبلغ
payment-order = المرجع
