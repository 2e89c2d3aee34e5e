//! The help domain's texts. One row per key: the key, 简体中文, English.

#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("help.title", "帮助中心", "Help center"),
    ("help.search", "搜索问题", "Search questions"),
    ("help.none", "没有找到相关问题，请换个关键词。", "No matching questions; try other words."),
];
