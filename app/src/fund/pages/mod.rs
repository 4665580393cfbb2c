//! The Fund's pages: the dashboard (`/fund`) and the audit log (`/fund/audit`).
pub mod audit;
pub mod dashboard;

pub use audit::AuditLogPage;
pub use dashboard::DashboardPage;
