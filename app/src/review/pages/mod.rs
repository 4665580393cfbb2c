//! The review workspace's pages: the queue, a plan's review sheet with its comments, the
//! differences between revisions, the entrepreneur's view of the comments in her builder,
//! and the Fund's rubric.
pub mod audit;
pub mod comments;
pub mod diff;
pub mod queue;
pub mod rubric;
pub mod sheet;
