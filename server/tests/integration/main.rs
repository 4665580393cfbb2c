//! All server integration tests in one binary. Each test binary links the whole server
//! (about a gigabyte in a debug build), so one binary instead of five keeps a clean CI
//! build within its disk.
#[macro_use]
mod support;

mod api;
mod case;
mod cli;
mod documents;
mod mail;
mod pdf;
mod plan_tables;
mod plans;
mod services;
