//! The holiday calendar's texts. One row per key: the key, 简体中文, English.

#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("operator.holidays", "节假日", "Public holidays"),
    ("holiday.hint", "工作日为周一至周五（节假日放假除外）及调休上班日。机会点的答复期限按工作日计算。", "Business days are Monday to Friday except days off, plus make-up working days. Opportunity deadlines count business days."),
    ("holiday.day", "日期", "Date"),
    ("holiday.kind", "类型", "Type"),
    ("holiday.kind.off", "放假", "Day off"),
    ("holiday.kind.work", "调休上班", "Make-up working day"),
    ("holiday.name", "名称", "Name"),
    ("holiday.empty", "该年度暂无节假日安排", "No holidays set for this year"),
    ("holiday.add", "设置日期", "Set a day"),
    ("holiday.save", "保存", "Save"),
    ("holiday.remove", "删除", "Remove"),
    ("holiday.load", "导入国务院公布的本年度安排", "Load this year's official schedule"),
    ("error.holiday.day", "请输入有效日期（YYYY-MM-DD，2000–2100年）", "Enter a valid date (YYYY-MM-DD, 2000–2100)"),
    ("error.holiday.kind", "请选择放假或调休上班", "Choose day off or make-up working day"),
    ("error.holiday.name", "名称不能超过20个字符", "The name may have at most 20 characters"),
    ("error.holiday.no_official", "系统未内置该年度的节假日安排，请逐日设置", "The product does not know this year's schedule; set the days one by one"),
];
