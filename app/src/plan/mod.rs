//! Business plans. So far: the interchange format `riyada.plan.v1` and the financial model
//! (pure, in `financials`), shared by the `riyada calc` command, and later by the builder,
//! the server functions and the PDF export.
pub mod financials;
