//! The builder's pages: the list of plans, a section with its editors and tables, the
//! financials, and the staff's deleted drafts.
pub mod financials;
pub mod list;
pub mod restore;
pub mod section;
pub mod tables;
