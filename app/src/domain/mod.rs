//! Pure domain rules: no I/O, no framework types. Everything here is unit-tested.
pub mod digits;
pub mod reference;
pub mod roles;
pub mod validation;
