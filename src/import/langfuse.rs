//! Not yet written: claims nothing.

use super::{Detection, Document};
use crate::model::Trace;

pub fn detect(_documents: &[Document]) -> Detection<Vec<Trace>> {
    Detection::Incompatible
}
