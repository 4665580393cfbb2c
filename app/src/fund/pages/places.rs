//! Where the Fund's pages live, for the links between them.
pub const DASHBOARD: &str = "/fund";
pub const LABOUR: &str = "/fund/labour";
pub const SMS: &str = "/fund/sms";
