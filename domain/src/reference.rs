//! Reference data keys. The names themselves (Arabic and English) live in the database,
//! seeded from `migrations/seed.sql`.
use crate::Bilingual;
use serde::{Deserialize, Serialize};

/// A governorate or chamber as shown in a choice list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub name: Bilingual,
}

/// A chamber, with the governorate it serves by default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChamberChoice {
    pub id: i64,
    pub code: String,
    pub name: Bilingual,
    pub governorate: String,
}

/// The chamber a person from `governorate` registers with unless they choose another.
pub fn default_chamber_for<'a>(chambers: &'a [ChamberChoice], governorate: &str) -> Option<&'a ChamberChoice> {
    chambers.iter().find(|c| c.governorate == governorate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chamber(id: i64, code: &str, gov: &str) -> ChamberChoice {
        ChamberChoice {
            id,
            code: code.into(),
            name: Bilingual::default(),
            governorate: gov.into(),
        }
    }

    #[test]
    fn default_chamber_follows_the_governorate() {
        let chambers = vec![chamber(1, "gaza", "gaza"), chamber(2, "middle", "deir_al_balah")];
        assert_eq!(default_chamber_for(&chambers, "deir_al_balah").map(|c| c.id), Some(2));
        assert_eq!(default_chamber_for(&chambers, "hebron"), None);
    }
}
