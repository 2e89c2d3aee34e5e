-- Notices of path decisions name the path and the stage by message key (#18), so each reader
-- sees them in its language; older ones carried one Chinese `item` ("<path> · <stage>"). Every
-- such notice is rewritten to the keys (the labels are the product's own, so each maps back).
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.software', 'stage', 'path.stage.role'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '软件伙伴发展路径 · 角色认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.software', 'stage', 'path.stage.differentiation'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '软件伙伴发展路径 · 能力差异化认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.service', 'stage', 'path.stage.role'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '服务合作伙伴发展路径 · 角色认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.service', 'stage', 'path.stage.differentiation'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '服务合作伙伴发展路径 · 能力差异化认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.learning', 'stage', 'path.stage.role'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '学习与赋能合作伙伴发展路径 · 角色认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.learning', 'stage', 'path.stage.differentiation'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '学习与赋能合作伙伴发展路径 · 能力差异化认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.si', 'stage', 'path.stage.role'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '数字化转型咨询与系统集成合作伙伴发展路径 · 角色认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.si', 'stage', 'path.stage.differentiation'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '数字化转型咨询与系统集成合作伙伴发展路径 · 能力差异化认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.distributor', 'stage', 'path.stage.role'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '总经销商合作伙伴发展路径 · 角色认证';
UPDATE messages SET params = ((params::jsonb - 'item') || jsonb_build_object('path', 'path.distributor', 'stage', 'path.stage.differentiation'))::text
    WHERE kind IN ('path.application_approved', 'path.application_rejected', 'path.review_passed', 'path.review_failed') AND params::jsonb ->> 'item' = '总经销商合作伙伴发展路径 · 能力差异化认证';
