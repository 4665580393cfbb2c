//! All server integration tests in one binary. Each test binary links the whole server
//! (about a gigabyte in a debug build), so one binary instead of five keeps a clean CI
//! build within its disk.
// Test and benchmark code: a panic here is a failed run, not a crashed request.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#[macro_use]
mod support;

mod access;
mod api;
mod backup;
mod cancelled;
mod case;
mod cli;
mod comments;
mod corpus;
mod crash;
mod dashboard;
mod documents;
mod establishments;
mod instances;
mod labour;
mod mail;
mod pdf;
mod plan_tables;
mod plans;
mod review;
mod schema;
mod services;
mod shutdown;
mod sms;
