//! The review workspace's pages: the queue, a plan's review sheet and the Fund's rubric.
pub mod queue;
pub mod rubric;
pub mod sheet;
