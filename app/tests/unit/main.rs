//! The app crate's own rules, tested through its public items: text in the reader's
//! language, mail and SMS, autosave's conflict rules, the page start-up and security
//! headers. One test binary that links the library the server uses, rather than unit tests
//! inside `app/src`, which would compile the whole crate a second time for the test
//! harness (the largest crate of the build; see docs/performance.md).
// Test code: a panic here is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod autosave;
mod email;
mod errors;
mod export;
mod lang;
mod pages;
mod password;
mod report;
mod sms;
