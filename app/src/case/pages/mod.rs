//! The case's pages: a plan's page with its lifecycle, the chamber's list, the case file and
//! the home with "what to do next".
pub mod case_file;
pub mod chamber;
pub mod home;
pub mod plan;
