//! The Fund's pages: the dashboard (`/fund`), labour demand (`/fund/labour`) and the audit
//! log (`/fund/audit`).
pub mod audit;
pub mod dashboard;
pub mod labour;

pub use audit::AuditLogPage;
pub use dashboard::DashboardPage;
pub use labour::LabourPage;
