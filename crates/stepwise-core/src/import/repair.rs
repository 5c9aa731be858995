//! Repairs shared by the importers: each one keeps the data and says what it changed.

use std::collections::BTreeSet;

use crate::fast_hash::{HashMap, HashSet};

use crate::model::{Agent, Repair, Step, Trace};

/// Makes step ids unique, detaches steps whose parent is missing, and breaks parent
/// cycles, in that order, so that every step appears exactly once in the tree; then
/// moves the end of any step that ends before it starts to its start.
/// `path` gives the JSON path of the step at an index, for the repair notes.
pub fn repair_step_tree(
    steps: &mut [Step],
    path: impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    make_ids_unique(steps, &path, repairs);
    // One id → index map serves both later repairs (it was built three times).
    let parents = parent_links(steps);
    detach_unknown_parents(steps, &parents, &path, repairs);
    break_parent_cycles(steps, &parents, &path, repairs);
    for (index, step) in steps.iter_mut().enumerate() {
        // A lone run (LangSmith) is at the top of the document, whose path is empty.
        let at = || {
            Some(path(index))
                .filter(|at| !at.is_empty())
                .unwrap_or("$".into())
        };
        end_not_before_start(step.start_ns, &mut step.end_ns, "step", at, repairs);
    }
}

/// The last word on times, for every format: a task or trace whose end (often derived
/// from its steps) lies before its start gets its end moved to its start.
pub fn repair_trace_times(trace: &mut Trace) {
    let repairs = &mut trace.repairs;
    for task in &mut trace.tasks {
        let what = format!("task {:?}", task.id);
        end_not_before_start(
            task.start_ns,
            &mut task.end_ns,
            &what,
            || "$".into(),
            repairs,
        );
    }
    end_not_before_start(
        trace.start_ns,
        &mut trace.end_ns,
        "trace",
        || "$".into(),
        repairs,
    );
}

/// A step, task or trace that ends before it starts would draw backwards on the
/// timeline and show a negative duration: its end is moved to its start, visibly
/// (as Jaeger UI keeps spans with broken times rather than dropping them).
pub fn end_not_before_start(
    start_ns: Option<i64>,
    end_ns: &mut Option<i64>,
    what: &str,
    path: impl FnOnce() -> String,
    repairs: &mut Vec<Repair>,
) {
    if let (Some(start), Some(end)) = (start_ns, *end_ns) {
        if end < start {
            repairs.push(Repair {
                path: path(),
                what: format!(
                    "the {what} ends {} ns before it starts; its end is set to its start",
                    start.saturating_sub(end)
                ),
            });
            *end_ns = Some(start);
        }
    }
}

/// What a step's `parent_id` points at.
#[derive(Clone, Copy, PartialEq)]
enum Parent {
    Root,
    Index(usize),
    Unknown,
}

fn parent_links(steps: &[Step]) -> Vec<Parent> {
    // Ids are hashed 300k times for a 100k-step trace: the fast hasher matters here.
    let mut index_of: HashMap<&str, usize> = crate::fast_hash::map_with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        index_of.insert(step.id.as_str(), index);
    }
    steps
        .iter()
        .map(|step| match step.parent_id.as_deref() {
            None => Parent::Root,
            Some(parent) => index_of
                .get(parent)
                .map_or(Parent::Unknown, |&index| Parent::Index(index)),
        })
        .collect()
}

/// Two steps with one id would make selection and parent links ambiguous, so later
/// copies get a suffix rather than being dropped.
fn make_ids_unique(steps: &mut [Step], path: &impl Fn(usize) -> String, repairs: &mut Vec<Repair>) {
    // Nearly every file has unique ids: check that without copying them first.
    let mut borrowed: HashSet<&str> = crate::fast_hash::set_with_capacity(steps.len());
    if steps.iter().all(|step| borrowed.insert(step.id.as_str())) {
        return;
    }
    drop(borrowed);
    let mut seen: HashSet<String> = crate::fast_hash::set_with_capacity(steps.len());
    for (index, step) in steps.iter_mut().enumerate() {
        if seen.insert(step.id.clone()) {
            continue;
        }
        let mut copy = 2;
        let mut renamed = format!("{}#{copy}", step.id);
        while seen.contains(&renamed) {
            copy += 1;
            renamed = format!("{}#{copy}", step.id);
        }
        repairs.push(Repair {
            path: format!("{}.id", path(index)),
            what: format!(
                "step id {:?} was used before; this step is kept as {renamed:?}",
                step.id
            ),
        });
        step.id.clone_from(&renamed);
        seen.insert(renamed);
    }
}

/// A parent that is not in the file would hide the step from the tree; it becomes a root.
fn detach_unknown_parents(
    steps: &mut [Step],
    parents: &[Parent],
    path: &impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    for (index, step) in steps.iter_mut().enumerate() {
        if parents[index] != Parent::Unknown {
            continue;
        }
        let Some(parent) = &step.parent_id else {
            continue;
        };
        repairs.push(Repair {
            path: format!("{}.parent_id", path(index)),
            what: format!("parent {parent:?} is not in the trace; the step is shown as a root"),
        });
        step.parent_id = None;
    }
}

/// A parent cycle has no root and would never be shown; the first step found on
/// the cycle (in file order) is cut loose from its parent.
fn break_parent_cycles(
    steps: &mut [Step],
    parents: &[Parent],
    path: &impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    let parent_of: Vec<Option<usize>> = parents
        .iter()
        .map(|parent| match parent {
            Parent::Index(index) => Some(*index),
            Parent::Root | Parent::Unknown => None,
        })
        .collect();
    // 0 = unvisited, 1 = on the current walk, 2 = known to reach a root.
    let mut state = vec![0u8; steps.len()];
    let mut cut = vec![false; steps.len()];
    let mut walk = Vec::new();
    for start in 0..steps.len() {
        walk.clear();
        let mut current = Some(start);
        while let Some(index) = current {
            match state[index] {
                2 => break,
                1 => {
                    repairs.push(Repair {
                        path: format!("{}.parent_id", path(index)),
                        what: format!(
                            "step {:?} is its own ancestor; its parent link was removed",
                            steps[index].id
                        ),
                    });
                    steps[index].parent_id = None;
                    cut[index] = true;
                    break;
                }
                _ => {}
            }
            state[index] = 1;
            walk.push(index);
            current = if cut[index] { None } else { parent_of[index] };
        }
        for &index in &walk {
            state[index] = 2;
        }
    }
}

/// Agents list the models their steps used, so the UI need not search for them.
pub fn collect_agent_models(agents: &mut [Agent], steps: &[Step]) {
    // One pass over the steps, copying each distinct model once, not once per call.
    let mut used: HashMap<&str, BTreeSet<&str>> = HashMap::default();
    for step in steps {
        if let (Some(agent), Some(model)) = (step.agent_id.as_deref(), step.model.as_deref()) {
            used.entry(agent).or_default().insert(model);
        }
    }
    for agent in agents.iter_mut() {
        if let Some(models) = used.get(agent.id.as_str()) {
            agent
                .models
                .extend(models.iter().map(|model| model.to_string()));
        }
        agent.models.sort();
        agent.models.dedup();
    }
}
