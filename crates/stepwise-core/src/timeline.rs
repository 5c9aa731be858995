//! Timeline geometry, computed without a browser: layout, scale, ticks, culling, hit testing and what each canvas frame draws. Pure core; views only execute what it computes.
//!
//! The layers, each depending only on those before it: `layout` (rows, lanes, per-lane
//! index), `scale` (time↔pixel, zoom window), `ticks`, `colours`, `cull` (level
//! of detail), `text` (label fitting, tooltips), `plan` (a frame), `hit`, `minimap`
//! (the overview above the chart). Import from the submodules; the few names below are
//! re-exported for convenience.

pub mod colours;
pub mod cull;
pub mod hit;
pub mod layout;
pub mod minimap;
pub mod notes;
pub mod plan;
pub mod scale;
pub mod text;
pub mod ticks;

pub use layout::{layout, layout_subtree, layout_with_rows, Layout};
pub use plan::{plan, Frame, Highlights, Plan};
pub use scale::TimeScale;
