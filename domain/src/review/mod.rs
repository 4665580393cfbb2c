//! The chamber's review of a business plan: the rubric and its arithmetic, and what
//! changed between two revisions. `docs/review.md` describes the workflow these rules
//! serve. Pure: no I/O.
pub mod comments;
pub mod diff;
pub mod queue;
pub mod rubric;
