//! The step tree in reading order: depth-first, siblings by start time. Pure core.

use crate::model::Trace;

/// One line of the step list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRow {
    /// Index into `trace.steps`.
    pub step: usize,
    pub depth: usize,
    pub child_count: usize,
}

/// Steps in depth-first order. Steps without a start keep their file order after
/// those with one, so a step with broken times is still listed.
pub fn step_rows(trace: &Trace) -> Vec<StepRow> {
    let links = trace.links();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); trace.steps.len()];
    let mut roots = Vec::new();
    for (index, parent) in links.parent.iter().enumerate() {
        match parent {
            Some(parent) => children[*parent].push(index),
            None => roots.push(index),
        }
    }
    let by_start = |index: &usize| {
        let start = trace.steps[*index].start_ns;
        (start.is_none(), start, *index)
    };
    roots.sort_by_key(by_start);
    for list in &mut children {
        list.sort_by_key(by_start);
    }

    let mut rows = Vec::with_capacity(trace.steps.len());
    // An explicit stack: traces can nest thousands deep, recursion could overflow.
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&root| (root, 0)).collect();
    let mut visited = vec![false; trace.steps.len()];
    while let Some((index, depth)) = stack.pop() {
        // Importers break cycles, but a model built by hand might not have.
        if std::mem::replace(&mut visited[index], true) {
            continue;
        }
        rows.push(StepRow {
            step: index,
            depth,
            child_count: children[index].len(),
        });
        stack.extend(
            children[index]
                .iter()
                .rev()
                .map(|&child| (child, depth + 1)),
        );
    }
    rows
}

/// The rows left when the subtrees under `collapsed` steps are hidden (the collapsed
/// step itself stays). Rows are in depth-first order, so a subtree is a contiguous run.
pub fn visible_rows<'a>(
    rows: &'a [StepRow],
    collapsed: &'a std::collections::HashSet<usize>,
) -> impl Iterator<Item = StepRow> + 'a {
    let mut hide_deeper_than: Option<usize> = None;
    rows.iter().copied().filter(move |row| {
        if let Some(depth) = hide_deeper_than {
            if row.depth > depth {
                return false;
            }
            hide_deeper_than = None;
        }
        if collapsed.contains(&row.step) {
            hide_deeper_than = Some(row.depth);
        }
        true
    })
}

/// The steps whose subtrees hold the row at `position`, nearest first: the rows before it
/// with a smaller depth, each shallower than the last. A selection inside a collapsed
/// subtree expands these so it can be shown.
pub fn ancestor_steps(rows: &[StepRow], position: usize) -> Vec<usize> {
    let Some(row) = rows.get(position) else {
        return Vec::new();
    };
    let mut depth = row.depth;
    let mut ancestors = Vec::new();
    for row in rows[..position].iter().rev() {
        if depth == 0 {
            break;
        }
        if row.depth < depth {
            ancestors.push(row.step);
            depth = row.depth;
        }
    }
    ancestors
}

/// The next (or previous) row after the one showing `current`, for j/k; the first (or
/// last) row when nothing is selected. `None` at the end.
pub fn neighbour(rows: &[StepRow], current: Option<usize>, forward: bool) -> Option<usize> {
    let position = current.and_then(|step| rows.iter().position(|row| row.step == step));
    let next = match (position, forward) {
        (None, true) => 0,
        (None, false) => rows.len().checked_sub(1)?,
        (Some(at), true) => at + 1,
        (Some(at), false) => at.checked_sub(1)?,
    };
    rows.get(next).map(|row| row.step)
}

/// The next (or previous) row, after `current`, whose step satisfies `wanted`; wraps around.
pub fn next_matching(
    rows: &[StepRow],
    current: Option<usize>,
    forward: bool,
    wanted: impl Fn(usize) -> bool,
) -> Option<usize> {
    let len = rows.len();
    if len == 0 {
        return None;
    }
    let start = current
        .and_then(|step| rows.iter().position(|row| row.step == step))
        .map_or(if forward { len - 1 } else { 0 }, |at| at);
    (1..=len)
        .map(|offset| {
            if forward {
                (start + offset) % len
            } else {
                (start + len - offset % len) % len
            }
        })
        .map(|at| rows[at].step)
        .find(|&step| wanted(step))
}

/// The next (or previous) sibling of `current`: the nearest row at its depth, without
/// leaving its parent. `None` at the end of the parent's children or with nothing selected.
pub fn sibling(rows: &[StepRow], current: Option<usize>, forward: bool) -> Option<usize> {
    let at = rows.iter().position(|row| Some(row.step) == current)?;
    let depth = rows[at].depth;
    let mut walk: Box<dyn Iterator<Item = &StepRow>> = if forward {
        Box::new(rows[at + 1..].iter())
    } else {
        Box::new(rows[..at].iter().rev())
    };
    // A shallower row is the parent's end (forward) or the parent itself (backward).
    walk.find(|row| row.depth <= depth)
        .filter(|row| row.depth == depth)
        .map(|row| row.step)
}

/// The rows of `step`'s subtree (the step first), for a page re-rooted at it: a
/// contiguous run in depth-first order, ending at the next row no deeper than the step.
/// `None` when no row shows `step`.
pub fn subtree(rows: &[StepRow], step: usize) -> Option<&[StepRow]> {
    let at = rows.iter().position(|row| row.step == step)?;
    let depth = rows[at].depth;
    let len = rows[at + 1..]
        .iter()
        .position(|row| row.depth <= depth)
        .unwrap_or(rows.len() - at - 1);
    Some(&rows[at..=at + len])
}

/// The steps that have children: what "collapse all" folds.
pub fn parents(rows: &[StepRow]) -> impl Iterator<Item = usize> + '_ {
    rows.iter()
        .filter(|row| row.child_count > 0)
        .map(|row| row.step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn rows(depths: &[usize]) -> Vec<StepRow> {
        depths
            .iter()
            .enumerate()
            .map(|(step, &depth)| StepRow {
                step,
                depth,
                child_count: 0,
            })
            .collect()
    }

    #[test]
    fn a_subtree_is_the_step_and_the_deeper_rows_after_it() {
        let rows = rows(&[0, 1, 2, 2, 1, 0, 1]);
        let steps = |found: Option<&[StepRow]>| {
            found.map(|rows| rows.iter().map(|row| row.step).collect::<Vec<_>>())
        };
        assert_eq!(steps(subtree(&rows, 1)), Some(vec![1, 2, 3]));
        assert_eq!(steps(subtree(&rows, 0)), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(
            steps(subtree(&rows, 5)),
            Some(vec![5, 6]),
            "runs to the end"
        );
        assert_eq!(steps(subtree(&rows, 3)), Some(vec![3]), "a leaf is itself");
        assert_eq!(steps(subtree(&rows, 9)), None);
    }

    #[test]
    fn siblings_stay_within_their_parent() {
        // 0 ─ 1 ─ 2
        //   ├ 3 ─ 4
        //   └ 5
        // 6
        let rows = rows(&[0, 1, 2, 1, 2, 1, 0]);
        assert_eq!(sibling(&rows, Some(1), true), Some(3));
        assert_eq!(sibling(&rows, Some(3), true), Some(5));
        assert_eq!(sibling(&rows, Some(5), true), None, "the last child");
        assert_eq!(sibling(&rows, Some(5), false), Some(3));
        assert_eq!(sibling(&rows, Some(1), false), None, "the first child");
        assert_eq!(sibling(&rows, Some(2), true), None, "an only child");
        assert_eq!(sibling(&rows, Some(0), true), Some(6));
        assert_eq!(sibling(&rows, None, true), None);
    }

    #[test]
    fn collapsing_hides_only_the_subtree() {
        let rows = rows(&[0, 1, 2, 1, 0, 1]);
        let collapsed: HashSet<usize> = [1].into_iter().collect();
        let shown: Vec<usize> = visible_rows(&rows, &collapsed).map(|r| r.step).collect();
        assert_eq!(shown, [0, 1, 3, 4, 5]);
        let collapsed: HashSet<usize> = [0].into_iter().collect();
        let shown: Vec<usize> = visible_rows(&rows, &collapsed).map(|r| r.step).collect();
        assert_eq!(shown, [0, 4, 5]);
    }

    #[test]
    fn ancestors_are_the_shallower_rows_above() {
        let rows = rows(&[0, 1, 2, 1, 2, 3, 0]);
        assert_eq!(ancestor_steps(&rows, 5), [4, 3, 0]);
        assert_eq!(ancestor_steps(&rows, 2), [1, 0]);
        assert_eq!(ancestor_steps(&rows, 6), Vec::<usize>::new());
        assert_eq!(ancestor_steps(&rows, 99), Vec::<usize>::new());
    }

    #[test]
    fn neighbours_walk_and_stop_at_the_ends() {
        let rows = rows(&[0, 1, 0]);
        assert_eq!(neighbour(&rows, None, true), Some(0));
        assert_eq!(neighbour(&rows, None, false), Some(2));
        assert_eq!(neighbour(&rows, Some(0), true), Some(1));
        assert_eq!(neighbour(&rows, Some(2), true), None);
        assert_eq!(neighbour(&rows, Some(0), false), None);
    }

    #[test]
    fn next_matching_wraps_around() {
        let rows = rows(&[0, 0, 0, 0]);
        let errors = |step: usize| step == 1 || step == 3;
        assert_eq!(next_matching(&rows, None, true, errors), Some(1));
        assert_eq!(next_matching(&rows, Some(1), true, errors), Some(3));
        assert_eq!(next_matching(&rows, Some(3), true, errors), Some(1));
        assert_eq!(next_matching(&rows, Some(1), false, errors), Some(3));
        assert_eq!(next_matching(&rows, None, false, errors), Some(3));
        assert_eq!(next_matching(&rows, None, true, |_| false), None);
    }
}
