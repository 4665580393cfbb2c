//! Names kept in both of the portal's languages (chambers, services, steps, holidays).
use serde::{Deserialize, Serialize};

/// A name in Arabic and in English; the page picks the reader's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Bilingual {
    pub ar: String,
    pub en: String,
}

impl Bilingual {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Self {
        Bilingual {
            ar: ar.into(),
            en: en.into(),
        }
    }

    /// Arabic when `arabic`, else English.
    pub fn pick(&self, arabic: bool) -> &str {
        if arabic {
            &self.ar
        } else {
            &self.en
        }
    }
}
