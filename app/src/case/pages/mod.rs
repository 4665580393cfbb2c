//! The case's pages: a plan's page with its lifecycle, the case file and
//! the home with "what to do next".
pub mod case_file;
pub mod home;
pub mod plan;
