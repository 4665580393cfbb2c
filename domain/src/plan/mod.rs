//! The business plan: its sections, its tables and the `riyada.plan.v1` format with its
//! financial model, its indicators, its states and the lifecycle that moves them.
pub mod financials;
pub mod indicators;
pub mod lifecycle;
pub mod sections;
pub mod status;
pub mod tables;
