//! What every request handler and server function can reach (server only).
use crate::db::{Backend, Pool};

#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: Pool,
    pub backend: Backend,
    pub throttle: ThrottleLimits,
    pub documents: domain::documents::DocumentLimits,
    /// E-mail, when an SMTP server is configured; without one nothing is queued.
    pub mail: Option<MailSettings>,
    /// Text messages, when an SMS provider is configured; without one nothing is queued.
    pub sms: Option<SmsSettings>,
    /// Reverse proxies whose forwarding headers name the client (`--trusted-proxies`).
    pub trusted_proxies: domain::network::TrustedProxies,
    /// The portal is reached over HTTPS only (`--secure-cookies`): its cookies say Secure.
    pub secure_cookies: bool,
}

/// What the e-mail the portal writes needs to know.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The portal's address as people reach it, for the links in e-mail (no trailing slash).
    pub public_url: String,
}

/// What the text messages the portal writes need to know.
#[derive(Clone, Debug)]
pub struct SmsSettings {
    /// The portal's address as people reach it, for the links in messages (no trailing slash).
    pub public_url: String,
    /// Daily limits on messages, per number and for the whole portal.
    pub caps: domain::sms::Caps,
    /// Numbers are confirmed with a code before notifications or reset codes go to them.
    pub verify_phones: bool,
    /// What one segment costs, in agorot (the Fund's estimate of the bill).
    pub segment_cost_agorot: i64,
}

/// Login throttling: failures allowed within `window_secs`, per account and per address.
#[derive(Clone, Copy, Debug)]
pub struct ThrottleLimits {
    pub per_account: i64,
    pub per_address: i64,
    pub window_secs: i64,
    /// New accounts one address may open in an hour (a chamber office registers many
    /// people from one connection, so this is generous; it stops scripts, not offices).
    pub registrations_per_address_hourly: i64,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        ThrottleLimits {
            per_account: 5,
            per_address: 30,
            window_secs: 15 * 60,
            registrations_per_address_hourly: 30,
        }
    }
}
