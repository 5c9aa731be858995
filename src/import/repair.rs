//! Repairs shared by the importers: each one keeps the data and says what it changed.

use std::collections::{HashMap, HashSet};

use crate::model::{Agent, Repair, Step};

/// Makes step ids unique, detaches steps whose parent is missing, and breaks parent
/// cycles, in that order, so that every step appears exactly once in the tree.
/// `path` gives the JSON path of the step at an index, for the repair notes.
pub fn repair_step_tree(
    steps: &mut [Step],
    path: impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    make_ids_unique(steps, &path, repairs);
    detach_unknown_parents(steps, &path, repairs);
    break_parent_cycles(steps, &path, repairs);
}

/// Two steps with one id would make selection and parent links ambiguous, so later
/// copies get a suffix rather than being dropped.
fn make_ids_unique(steps: &mut [Step], path: &impl Fn(usize) -> String, repairs: &mut Vec<Repair>) {
    let mut seen: HashSet<String> = HashSet::with_capacity(steps.len());
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
    path: &impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    let ids: HashSet<String> = steps.iter().map(|step| step.id.clone()).collect();
    for (index, step) in steps.iter_mut().enumerate() {
        let Some(parent) = &step.parent_id else {
            continue;
        };
        if ids.contains(parent) {
            continue;
        }
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
    path: &impl Fn(usize) -> String,
    repairs: &mut Vec<Repair>,
) {
    let index_of: HashMap<String, usize> = steps
        .iter()
        .enumerate()
        .map(|(index, step)| (step.id.clone(), index))
        .collect();
    // 0 = unvisited, 1 = on the current walk, 2 = known to reach a root.
    let mut state = vec![0u8; steps.len()];
    for start in 0..steps.len() {
        let mut walk = Vec::new();
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
                    break;
                }
                _ => {}
            }
            state[index] = 1;
            walk.push(index);
            current = steps[index]
                .parent_id
                .as_ref()
                .and_then(|parent| index_of.get(parent).copied());
        }
        for index in walk {
            state[index] = 2;
        }
    }
}

/// Agents list the models their steps used, so the UI need not search for them.
pub fn collect_agent_models(agents: &mut [Agent], steps: &[Step]) {
    for agent in agents.iter_mut() {
        let used = steps
            .iter()
            .filter(|step| step.agent_id.as_deref() == Some(agent.id.as_str()))
            .filter_map(|step| step.model.clone());
        agent.models.extend(used);
        agent.models.sort();
        agent.models.dedup();
    }
}
