//! The Fund's pages: the dashboard (`/fund`), labour demand (`/fund/labour`), text messages
//! (`/fund/sms`) and the audit log (`/fund/audit`).
pub mod audit;
pub mod dashboard;
mod filters;
pub mod labour;
mod places;
pub mod sms;

pub use audit::AuditLogPage;
pub use dashboard::DashboardPage;
pub use labour::LabourPage;
pub use sms::SmsPage;
