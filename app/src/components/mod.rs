//! Building blocks shared by every area: form fields and their errors, who is signed in,
//! error pages. Components never import an area (see `docs/architecture.md`).
pub mod charts;
pub mod current_user;
pub mod downloads;
pub mod form;
pub mod load_error;
pub mod nav_link;
pub mod not_found;
pub mod offline;
pub mod page_start;
pub mod query;
pub mod server_form;
