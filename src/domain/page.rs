//! Pagination shared by every list.

use serde::{Deserialize, Serialize};

/// A requested page: 1-based number and a size capped at 100. The fields are private and the
/// type cannot be deserialized: the only ways to make one are [`PageRequest::new`] (which
/// clamps whatever a caller asks for) and the two bounded internal windows below, so no caller
/// can ask a list for more rows than the product allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    number: u32,
    size: u32,
    /// Rows skipped: `(number - 1) × size` for a page, any count for an API window.
    offset: u64,
}

impl PageRequest {
    pub const DEFAULT_SIZE: u32 = 10;
    pub const MAX_SIZE: u32 = 100;
    /// The most rows an export holds (see `domain::export`); one XLSX worksheet holds at most
    /// 1 048 576.
    pub const EXPORT_MAX_ROWS: u32 = 1_000_000;
    /// The rows an export reads at a time.
    pub const EXPORT_BATCH: u32 = 500;

    pub fn number(self) -> u32 {
        self.number
    }

    pub fn size(self) -> u32 {
        self.size
    }

    /// Out-of-range numbers become the nearest valid page rather than an error, so a stale
    /// link still shows something sensible.
    pub fn new(number: Option<u32>, size: Option<u32>) -> Self {
        let number = number.unwrap_or(1).max(1);
        let size = size.unwrap_or(Self::DEFAULT_SIZE).clamp(1, Self::MAX_SIZE);
        PageRequest {
            number,
            size,
            offset: u64::from(number - 1) * u64::from(size),
        }
    }

    /// The open API's window: `offset` rows skipped and at most `limit` (clamped to
    /// 1..=[`Self::MAX_SIZE`]) read. Its number is the page the window starts in.
    pub fn window(offset: u64, limit: u32) -> Self {
        let size = limit.clamp(1, Self::MAX_SIZE);
        PageRequest {
            number: u32::try_from(offset / u64::from(size) + 1).unwrap_or(u32::MAX),
            size,
            offset,
        }
    }

    /// An export's window: [`Self::EXPORT_BATCH`] rows after `offset`.
    pub fn batch(offset: u64) -> Self {
        let size = Self::EXPORT_BATCH;
        PageRequest {
            number: u32::try_from(offset / u64::from(size) + 1).unwrap_or(u32::MAX),
            size,
            offset,
        }
    }

    pub fn offset(self) -> i64 {
        i64::try_from(self.offset).unwrap_or(i64::MAX)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }

    /// The page this request asked for, holding `items` of `total` matching rows.
    pub fn answer<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            number: self.number,
            size: self.size,
            total,
        }
    }
}

/// A list's order as its link gives it (`sort=<column>&dir=asc|desc`): which of the list's
/// sortable columns, and the direction (descending unless `asc`). A key the list does not know
/// leaves the list in its own order, as a stale link should.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortBy {
    pub key: String,
    pub asc: bool,
}

impl SortBy {
    pub fn parse(sort: &str, dir: &str) -> SortBy {
        SortBy {
            key: sort.trim().to_string(),
            asc: dir.trim() == "asc",
        }
    }

    /// The `ORDER BY` of a list: the chosen column's expression among `columns` (key,
    /// expression), then `default` (which also breaks ties); `default` alone for anything else.
    pub fn order(&self, columns: &[(&str, &str)], default: &str) -> String {
        match columns.iter().find(|(k, _)| *k == self.key) {
            Some((_, expr)) => {
                let dir = if self.asc { "ASC" } else { "DESC" };
                format!("{expr} {dir}, {default}")
            }
            None => default.to_string(),
        }
    }
}

/// A page's number and size as its link gives them (`page`, `size`): numbers, or anything else
/// read as the default.
pub fn page_of(page: &str, size: &str) -> PageRequest {
    PageRequest::new(page.trim().parse().ok(), size.trim().parse().ok())
}

/// One page of a list and the total count behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub number: u32,
    pub size: u32,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        let size = i64::from(self.size.max(1));
        u32::try_from((self.total + size - 1) / size)
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_requests_are_clamped() {
        let p = PageRequest::new(Some(0), Some(10_000));
        assert_eq!((p.number, p.size), (1, 100));
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
        let w = PageRequest::window(25, 500);
        assert_eq!((w.offset(), w.limit(), w.number()), (25, 100, 1));
        assert_eq!(PageRequest::window(7, 0).limit(), 1);
    }

    #[test]
    fn a_sort_picks_a_known_column_or_keeps_the_lists_order() {
        let cols = [("amount", "o.amount_fen"), ("created", "o.created_at")];
        let default = "o.created_at DESC, o.id DESC";
        assert_eq!(
            SortBy::parse("amount", "asc").order(&cols, default),
            "o.amount_fen ASC, o.created_at DESC, o.id DESC"
        );
        assert_eq!(
            SortBy::parse("created", "").order(&cols, default),
            "o.created_at DESC, o.created_at DESC, o.id DESC"
        );
        assert_eq!(
            SortBy::parse("1; DROP", "asc").order(&cols, default),
            default
        );
        assert_eq!(page_of("3", "50").offset(), 100);
        assert_eq!(page_of("x", "1000").limit(), 100);
    }

    #[test]
    fn page_count_rounds_up_and_is_at_least_one() {
        let page = |total| Page::<()> {
            items: vec![],
            number: 1,
            size: 10,
            total,
        };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(10).pages(), 1);
        assert_eq!(page(11).pages(), 2);
    }
}
