//! The reader's blocks kept across mounts of the view. Component layer: uses components, state, I/O and the core.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use stepwise_core::model::Trace;
use stepwise_core::reader::{blocks as build_blocks, Block};
use stepwise_core::tree::StepRow;

/// Blocks, and the trace and root they were built for.
type Built = (Weak<Trace>, Option<usize>, Arc<Vec<Block>>);

thread_local! {
    /// The blocks last built, with the trace (held weakly) and root they are of: coming
    /// back to the Reader tab shows them without building them again, which at 100k steps is
    /// the view's largest cost. A refreshed trace is a new `Arc`, so it is rebuilt.
    static LAST_BLOCKS: RefCell<Option<Built>> = const { RefCell::new(None) };
}

pub fn blocks_of(trace: &Arc<Trace>, rows: &[StepRow], root: Option<usize>) -> Arc<Vec<Block>> {
    LAST_BLOCKS.with(|last| {
        let mut last = last.borrow_mut();
        if let Some((kept, kept_root, blocks)) = last.as_ref() {
            let same = kept.upgrade().is_some_and(|kept| Arc::ptr_eq(&kept, trace));
            if same && *kept_root == root {
                return blocks.clone();
            }
        }
        // Dropped first, so two traces' blocks are never held at once.
        *last = None;
        let blocks = Arc::new(build_blocks(trace, rows, root));
        *last = Some((Arc::downgrade(trace), root, blocks.clone()));
        blocks
    })
}
