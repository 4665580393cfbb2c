-- Services: the catalogue the Fund maintains (ordered steps with office, documents, fee and
-- working days), the working week and holidays, and entrepreneurs' service requests with
-- their history (sqlite dialect). The default catalogue is docs/workflow.md's; fees are left
-- to the Fund (NULL = not known yet).
CREATE TABLE services (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL CHECK (category IN ('registration', 'consultancy', 'legal', 'training', 'funding', 'self_employment')),
    name_ar     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    summary_ar  TEXT NOT NULL DEFAULT '',
    summary_en  TEXT NOT NULL DEFAULT '',
    active      BIGINT NOT NULL DEFAULT 1,
    sort_order  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE service_steps (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id    BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position      BIGINT NOT NULL,
    name_ar       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    office_ar     TEXT NOT NULL,
    office_en     TEXT NOT NULL,
    -- Agorot (ILS minor units); NULL while the Fund has not entered the fee.
    fee_minor     BIGINT,
    working_days  BIGINT NOT NULL,
    -- Comma-separated document type keys the step needs.
    documents     TEXT NOT NULL DEFAULT '',
    UNIQUE (service_id, position)
);

-- Days no office works, besides the weekend.
CREATE TABLE holidays (
    day      TEXT PRIMARY KEY,
    name_ar  TEXT NOT NULL,
    name_en  TEXT NOT NULL
);

-- Portal-wide settings the Fund edits (the weekend).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('weekend', 'fri,sat');

CREATE TABLE service_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          BIGINT NOT NULL REFERENCES users (id),
    service_id       BIGINT NOT NULL REFERENCES services (id),
    plan_id          BIGINT REFERENCES plans (id),
    -- The owner's chamber when requested: its staff handle the request.
    chamber_id       BIGINT REFERENCES chambers (id),
    status           TEXT NOT NULL CHECK (status IN ('requested', 'documents_pending', 'in_progress', 'completed', 'cancelled')),
    step             BIGINT NOT NULL DEFAULT 0,
    -- The service's steps as they were when requested (JSON), so later catalogue edits do
    -- not move a request that is under way.
    steps_json       TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    step_started_at  BIGINT
);
CREATE INDEX service_requests_user ON service_requests (user_id, created_at);
CREATE INDEX service_requests_chamber ON service_requests (chamber_id, status);

CREATE TABLE service_request_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id   BIGINT NOT NULL REFERENCES service_requests (id),
    actor_id     BIGINT REFERENCES users (id),
    -- NULL for the request being made.
    action       TEXT,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    step         BIGINT NOT NULL,
    message      TEXT,
    at           BIGINT NOT NULL
);
CREATE INDEX service_request_events_request ON service_request_events (request_id, at);
-- SQLite cannot change a CHECK constraint: the table is rebuilt with the same rows.
CREATE TABLE notifications_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id             BIGINT NOT NULL REFERENCES users (id),
    topic               TEXT NOT NULL CHECK (topic IN ('plan_step', 'document_reviewed', 'service_step')),
    action              TEXT NOT NULL,
    plan_id             BIGINT REFERENCES plans (id),
    document_id         BIGINT REFERENCES documents (id),
    message             TEXT,
    created_at          BIGINT NOT NULL,
    read_at             BIGINT,
    email_state         TEXT NOT NULL DEFAULT 'pending' CHECK (email_state IN ('pending', 'sent', 'skipped')),
    service_request_id  BIGINT REFERENCES service_requests (id)
);
INSERT INTO notifications_new (id, user_id, topic, action, plan_id, document_id, message, created_at, read_at, email_state)
    SELECT id, user_id, topic, action, plan_id, document_id, message, created_at, read_at, email_state FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, read_at, created_at);

-- The default catalogue.
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('chamber_membership', 'registration', 'عضوية الغرفة التجارية / تسجيل تاجر', 'Chamber membership / trader registration', 'تسجيل نشاطك التجاري في الغرفة والحصول على شهادة العضوية.', 'Register your business with the chamber and receive its membership certificate.', 1);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'تقديم الملف في الغرفة', 'File submitted at the chamber', 'الغرفة التجارية', 'Chamber of commerce', 1, 'id_copy,personal_photo,lease_contract,municipal_licence,trader_certificate' FROM services WHERE code = 'chamber_membership';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'دراسة لجنة العضوية', 'Membership committee review', 'الغرفة التجارية', 'Chamber of commerce', 10, '' FROM services WHERE code = 'chamber_membership';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'إصدار شهادة العضوية', 'Membership certificate issued', 'الغرفة التجارية', 'Chamber of commerce', 3, '' FROM services WHERE code = 'chamber_membership';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('company_registration', 'registration', 'تسجيل شركة', 'Company registration', 'تسجيل شركة لدى مراقب الشركات ثم استكمال العضوية والملف الضريبي والرخصة.', 'Register a company with the Companies Registrar, then the chamber, tax file and licence.', 2);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'حجز الاسم التجاري', 'Trade name reserved', 'وزارة الاقتصاد الوطني – مراقب الشركات', 'Ministry of National Economy – Companies Registrar', 2, 'id_copy' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'توقيع عقد التأسيس والنظام الداخلي', 'Articles of association signed', 'وزارة الاقتصاد الوطني – مراقب الشركات', 'Ministry of National Economy – Companies Registrar', 5, 'id_copy,articles_of_association' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'شهادة تسجيل الشركة', 'Registration certificate', 'وزارة الاقتصاد الوطني – مراقب الشركات', 'Ministry of National Economy – Companies Registrar', 10, '' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'عضوية الغرفة التجارية', 'Chamber membership', 'الغرفة التجارية', 'Chamber of commerce', 5, 'company_registration,lease_contract' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 5, 'فتح ملف ضريبي', 'Tax file opened', 'وزارة المالية – دائرة ضريبة الدخل', 'Ministry of Finance – Income Tax Department', 5, 'company_registration' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 6, 'التسجيل في ضريبة القيمة المضافة (حيث ينطبق)', 'VAT registration (where applicable)', 'وزارة المالية – دائرة ضريبة القيمة المضافة', 'Ministry of Finance – VAT Department', 5, '' FROM services WHERE code = 'company_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 7, 'رخصة البلدية (حرف ومهن)', 'Municipal licence (crafts and professions)', 'البلدية', 'Municipality', 10, 'lease_contract' FROM services WHERE code = 'company_registration';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('trademark_registration', 'registration', 'تسجيل علامة تجارية', 'Trademark registration', 'حماية اسم مشروعك أو شعاره بتسجيله علامةً تجارية.', 'Protect your business''s name or logo by registering it as a trademark.', 3);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'تقديم طلب التسجيل', 'Application filed', 'وزارة الاقتصاد الوطني – مسجل العلامات التجارية', 'Ministry of National Economy – Trademarks Registrar', 1, 'id_copy,trademark_sample' FROM services WHERE code = 'trademark_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'الفحص الشكلي والفني', 'Formal and technical examination', 'وزارة الاقتصاد الوطني – مسجل العلامات التجارية', 'Ministry of National Economy – Trademarks Registrar', 20, '' FROM services WHERE code = 'trademark_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'النشر في الجريدة الرسمية', 'Publication', 'وزارة الاقتصاد الوطني – مسجل العلامات التجارية', 'Ministry of National Economy – Trademarks Registrar', 5, '' FROM services WHERE code = 'trademark_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'فترة الاعتراض (ثلاثة أشهر)', 'Opposition period (three months)', 'وزارة الاقتصاد الوطني – مسجل العلامات التجارية', 'Ministry of National Economy – Trademarks Registrar', 66, '' FROM services WHERE code = 'trademark_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 5, 'شهادة تسجيل العلامة', 'Registration certificate', 'وزارة الاقتصاد الوطني – مسجل العلامات التجارية', 'Ministry of National Economy – Trademarks Registrar', 10, '' FROM services WHERE code = 'trademark_registration';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('cooperative_registration', 'registration', 'تسجيل جمعية تعاونية', 'Cooperative registration', 'تسجيل جمعية تعاونية لدى هيئة العمل التعاوني.', 'Register a cooperative with the Cooperative Work Agency.', 4);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'تقديم طلب التسجيل والنظام الداخلي', 'Application and by-laws filed', 'هيئة العمل التعاوني', 'Cooperative Work Agency', 1, 'id_copy,articles_of_association' FROM services WHERE code = 'cooperative_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'دراسة الطلب', 'Application reviewed', 'هيئة العمل التعاوني', 'Cooperative Work Agency', 20, '' FROM services WHERE code = 'cooperative_registration';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'شهادة التسجيل', 'Registration certificate', 'هيئة العمل التعاوني', 'Cooperative Work Agency', 5, '' FROM services WHERE code = 'cooperative_registration';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('consultancy', 'consultancy', 'استشارات (إدارة، تسويق، محاسبة)', 'Consultancy (management, marketing, accounting)', 'جلسات مع مستشار في إدارة مشروعك أو تسويقه أو حساباته.', 'Sessions with an advisor on managing, marketing or accounting for your business.', 5);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'طلب الخدمة ومراجعته', 'Request received and reviewed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 2, '' FROM services WHERE code = 'consultancy';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'تحديد موعد', 'Appointment set', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 3, '' FROM services WHERE code = 'consultancy';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'جلسات الاستشارة', 'Consultancy session(s)', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 10, '' FROM services WHERE code = 'consultancy';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'إغلاق الطلب', 'Request closed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 1, '' FROM services WHERE code = 'consultancy';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('legal_advice', 'legal', 'استشارة قانونية', 'Legal advice', 'استشارة في العقود والتسجيل والشكل القانوني لمشروعك.', 'Advice on contracts, registration and your business''s legal form.', 6);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'طلب الخدمة ومراجعته', 'Request received and reviewed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 2, '' FROM services WHERE code = 'legal_advice';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'تحديد موعد', 'Appointment set', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 3, '' FROM services WHERE code = 'legal_advice';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'جلسات الاستشارة القانونية', 'Legal advice session(s)', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 10, '' FROM services WHERE code = 'legal_advice';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'إغلاق الطلب', 'Request closed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 1, '' FROM services WHERE code = 'legal_advice';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('training', 'training', 'تدريب', 'Training', 'دورات في ريادة الأعمال وإدارة المشاريع الصغيرة.', 'Courses in entrepreneurship and small-business management.', 7);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'طلب الخدمة ومراجعته', 'Request received and reviewed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 2, '' FROM services WHERE code = 'training';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'تحديد موعد', 'Appointment set', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 3, '' FROM services WHERE code = 'training';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'جلسات التدريب', 'Training session(s)', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 10, '' FROM services WHERE code = 'training';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'إغلاق الطلب', 'Request closed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 1, '' FROM services WHERE code = 'training';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('funding_referral', 'funding', 'إحالة إلى التمويل', 'Funding referral', 'إحالة ملفك إلى برامج الصندوق أو جهات الإقراض الشريكة.', 'Referral of your file to the Fund''s programmes or partner lenders.', 8);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'مراجعة الملف', 'File reviewed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 5, 'id_copy,quotation' FROM services WHERE code = 'funding_referral';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'الإحالة إلى برنامج أو جهة إقراض', 'Referred to a programme or lender', 'الصندوق الفلسطيني للتشغيل والحماية الاجتماعية', 'Palestinian Fund for Employment and Social Protection', 5, '' FROM services WHERE code = 'funding_referral';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'رد الجهة الممولة', 'Funder''s answer', 'الصندوق الفلسطيني للتشغيل والحماية الاجتماعية', 'Palestinian Fund for Employment and Social Protection', 20, '' FROM services WHERE code = 'funding_referral';
INSERT INTO services (code, category, name_ar, name_en, summary_ar, summary_en, sort_order) VALUES ('self_employment', 'self_employment', 'دعم التشغيل الذاتي', 'Self-employment support', 'إرشاد ومتابعة لبدء عمل حر أو مشروع منزلي.', 'Guidance and follow-up to start self-employment or a home business.', 9);
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 1, 'طلب الخدمة ومراجعته', 'Request received and reviewed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 2, '' FROM services WHERE code = 'self_employment';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 2, 'تحديد موعد', 'Appointment set', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 3, '' FROM services WHERE code = 'self_employment';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 3, 'جلسات الإرشاد', 'Guidance session(s)', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 10, '' FROM services WHERE code = 'self_employment';
INSERT INTO service_steps (service_id, position, name_ar, name_en, office_ar, office_en, working_days, documents) SELECT id, 4, 'إغلاق الطلب', 'Request closed', 'الشباك الموحد في الغرفة', 'One-Stop Shop at the chamber', 1, '' FROM services WHERE code = 'self_employment';
