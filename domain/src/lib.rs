//! Riyada's pure rules: everything that decides without I/O and without a framework. Roles
//! and permissions, what people may type, the business plan's format and financial model,
//! the plan and service lifecycles, documents and working days. The web application (`app`),
//! the server and the WASM all build on it; its unit tests run without compiling Leptos.
//! `docs/architecture.md` says where each part of Riyada lives.
pub mod audit;
pub mod bilingual;
pub mod digits;
pub mod documents;
pub mod establishments;
pub mod keys;
pub mod mail;
pub mod network;
pub mod next;
pub mod plan;
pub mod reference;
pub mod review;
pub mod roles;
pub mod search;
pub mod services;
pub mod sheet;
pub mod sms;
pub mod standing;
pub mod stats;
pub mod validation;

pub use bilingual::Bilingual;
pub use keys::{Keyed, UnknownKey};
