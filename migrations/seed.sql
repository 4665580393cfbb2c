-- Reference data (see docs/workflow.md). Runs at every start; ON CONFLICT keeps it
-- idempotent and never overwrites names the Fund has edited. Portable SQL: SQLite and PostgreSQL.
INSERT INTO governorates (code, name_ar, name_en, region, sort_order) VALUES
  ('jenin', 'جنين', 'Jenin', 'west_bank', 1),
  ('tubas', 'طوباس', 'Tubas', 'west_bank', 2),
  ('tulkarm', 'طولكرم', 'Tulkarm', 'west_bank', 3),
  ('nablus', 'نابلس', 'Nablus', 'west_bank', 4),
  ('qalqilya', 'قلقيلية', 'Qalqilya', 'west_bank', 5),
  ('salfit', 'سلفيت', 'Salfit', 'west_bank', 6),
  ('ramallah', 'رام الله والبيرة', 'Ramallah & Al-Bireh', 'west_bank', 7),
  ('jericho', 'أريحا والأغوار', 'Jericho & Al-Aghwar', 'west_bank', 8),
  ('jerusalem', 'القدس', 'Jerusalem', 'west_bank', 9),
  ('bethlehem', 'بيت لحم', 'Bethlehem', 'west_bank', 10),
  ('hebron', 'الخليل', 'Hebron', 'west_bank', 11),
  ('north_gaza', 'شمال غزة', 'North Gaza', 'gaza', 12),
  ('gaza', 'غزة', 'Gaza', 'gaza', 13),
  ('deir_al_balah', 'دير البلح (الوسطى)', 'Deir al-Balah (Middle Area)', 'gaza', 14),
  ('khan_younis', 'خان يونس', 'Khan Younis', 'gaza', 15),
  ('rafah', 'رفح', 'Rafah', 'gaza', 16)
ON CONFLICT (code) DO NOTHING;

INSERT INTO chambers (code, name_ar, name_en, governorate_code, sort_order) VALUES
  ('gaza', 'غرفة تجارة وصناعة غزة', 'Gaza Chamber of Commerce and Industry', 'gaza', 1),
  ('north_gaza', 'غرفة تجارة وصناعة شمال غزة', 'North Gaza Chamber of Commerce and Industry', 'north_gaza', 2),
  ('middle', 'غرفة تجارة وصناعة المحافظة الوسطى (دير البلح)', 'Middle Governorate (Deir al-Balah) Chamber of Commerce and Industry', 'deir_al_balah', 3),
  ('khan_younis', 'غرفة تجارة وصناعة خان يونس', 'Khan Younis Chamber of Commerce and Industry', 'khan_younis', 4),
  ('rafah', 'غرفة تجارة وصناعة رفح', 'Rafah Chamber of Commerce and Industry', 'rafah', 5),
  ('jenin', 'غرفة تجارة وصناعة جنين', 'Jenin Chamber of Commerce and Industry', 'jenin', 6),
  ('tubas', 'غرفة تجارة وصناعة طوباس', 'Tubas Chamber of Commerce and Industry', 'tubas', 7),
  ('tulkarm', 'غرفة تجارة وصناعة طولكرم', 'Tulkarm Chamber of Commerce and Industry', 'tulkarm', 8),
  ('nablus', 'غرفة تجارة وصناعة نابلس', 'Nablus Chamber of Commerce and Industry', 'nablus', 9),
  ('qalqilya', 'غرفة تجارة وصناعة قلقيلية', 'Qalqilya Chamber of Commerce and Industry', 'qalqilya', 10),
  ('salfit', 'غرفة تجارة وصناعة سلفيت', 'Salfit Chamber of Commerce and Industry', 'salfit', 11),
  ('ramallah', 'غرفة تجارة وصناعة محافظة رام الله والبيرة', 'Ramallah & Al-Bireh Chamber of Commerce and Industry', 'ramallah', 12),
  ('jericho', 'غرفة تجارة وصناعة أريحا', 'Jericho Chamber of Commerce and Industry', 'jericho', 13),
  ('jerusalem', 'غرفة تجارة وصناعة القدس', 'Jerusalem Chamber of Commerce and Industry', 'jerusalem', 14),
  ('bethlehem', 'غرفة تجارة وصناعة بيت لحم', 'Bethlehem Chamber of Commerce and Industry', 'bethlehem', 15),
  ('hebron', 'غرفة تجارة وصناعة الخليل', 'Hebron Chamber of Commerce and Industry', 'hebron', 16)
ON CONFLICT (code) DO NOTHING;

INSERT INTO sectors (code, name_ar, name_en, sort_order) VALUES
  ('agriculture_food', 'الزراعة والتصنيع الغذائي', 'Agriculture and food processing', 1),
  ('manufacturing_crafts', 'الصناعة والحرف', 'Manufacturing and crafts', 2),
  ('trade', 'التجارة (تجزئة وجملة)', 'Trade (retail and wholesale)', 3),
  ('services', 'الخدمات', 'Services', 4),
  ('ict_digital', 'تكنولوجيا المعلومات والاقتصاد الرقمي', 'ICT and digital', 5),
  ('tourism_hospitality', 'السياحة والضيافة', 'Tourism and hospitality', 6),
  ('construction', 'الإنشاءات', 'Construction', 7),
  ('education_training', 'التعليم والتدريب', 'Education and training', 8),
  ('health_care', 'الصحة والرعاية', 'Health and care', 9),
  ('creative', 'الصناعات الإبداعية', 'Creative industries', 10),
  ('other', 'أخرى', 'Other', 11)
ON CONFLICT (code) DO NOTHING;
