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
}

impl PageRequest {
    pub const DEFAULT_SIZE: u32 = 10;
    pub const MAX_SIZE: u32 = 100;
    /// The most rows a CSV export holds (see `domain::csv`).
    pub const EXPORT_MAX_ROWS: u32 = 50_000;
    /// The rows of a CSV export: one more than it may hold, so a match too large to export is
    /// told apart from a complete one without a second count.
    pub const EXPORT: PageRequest = PageRequest {
        number: 1,
        size: Self::EXPORT_MAX_ROWS + 1,
    };
    /// The rows an open API list operation filters in memory (the newest 1 000).
    pub const API_SCAN: PageRequest = PageRequest {
        number: 1,
        size: 1000,
    };

    pub fn number(self) -> u32 {
        self.number
    }

    pub fn size(self) -> u32 {
        self.size
    }

    /// Out-of-range numbers become the nearest valid page rather than an error, so a stale
    /// link still shows something sensible.
    pub fn new(number: Option<u32>, size: Option<u32>) -> Self {
        PageRequest {
            number: number.unwrap_or(1).max(1),
            size: size.unwrap_or(Self::DEFAULT_SIZE).clamp(1, Self::MAX_SIZE),
        }
    }

    pub fn offset(self) -> i64 {
        i64::from(self.number - 1) * i64::from(self.size)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }
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
