//! Building blocks shared by every area: page layout, form fields, error pages.
pub mod form;
pub mod layout;
pub mod not_found;
pub mod offline;
