//! Traces of one conversation: OpenTelemetry GenAI's `gen_ai.conversation.id` (a chat
//! session of many runs) groups them in the lists that show several traces. Pure core.

use crate::model::Trace;

/// Trace metadata key under which importers keep the conversation id.
pub const CONVERSATION_ID: &str = "gen_ai.conversation.id";

/// The conversation a trace belongs to, when its source says.
pub fn conversation_id(trace: &Trace) -> Option<&str> {
    trace
        .metadata
        .get(CONVERSATION_ID)
        .and_then(serde_json::Value::as_str)
        .filter(|id| !id.trim().is_empty())
}

/// A run of list items: one conversation's (in list order), or one item of none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub conversation: Option<String>,
    /// Indices into the list, in list order.
    pub items: Vec<usize>,
}

/// Groups a list by conversation, keeping its order: a conversation's group stands where
/// its first item stood, and gathers the later ones; items of no conversation stay alone.
pub fn group_by_conversation<'a>(ids: impl IntoIterator<Item = Option<&'a str>>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, id) in ids.into_iter().enumerate() {
        match id {
            Some(id) => match groups
                .iter_mut()
                .find(|group| group.conversation.as_deref() == Some(id))
            {
                Some(group) => group.items.push(index),
                None => groups.push(Group {
                    conversation: Some(id.to_string()),
                    items: vec![index],
                }),
            },
            None => groups.push(Group {
                conversation: None,
                items: vec![index],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conversation_gathers_where_it_first_appears_and_the_rest_keep_their_order() {
        let groups = group_by_conversation([Some("c1"), None, Some("c2"), Some("c1"), None]);
        let shape: Vec<(Option<&str>, Vec<usize>)> = groups
            .iter()
            .map(|group| (group.conversation.as_deref(), group.items.clone()))
            .collect();
        assert_eq!(
            shape,
            [
                (Some("c1"), vec![0, 3]),
                (None, vec![1]),
                (Some("c2"), vec![2]),
                (None, vec![4])
            ]
        );
    }

    #[test]
    fn the_id_comes_from_the_metadata_and_blank_is_none() {
        let mut trace = crate::model::Trace {
            id: "t".into(),
            name: "t".into(),
            kind: Default::default(),
            status: Default::default(),
            start_ns: None,
            end_ns: None,
            input: None,
            final_output: None,
            metadata: Default::default(),
            agents: vec![],
            tasks: vec![],
            steps: vec![],
            source_format: crate::model::SourceFormat::Otlp,
            repairs: vec![],
            links: Default::default(),
            notes: Default::default(),
        };
        assert_eq!(conversation_id(&trace), None);
        trace.metadata.insert(CONVERSATION_ID.into(), " ".into());
        assert_eq!(conversation_id(&trace), None);
        trace
            .metadata
            .insert(CONVERSATION_ID.into(), "conv-7".into());
        assert_eq!(conversation_id(&trace), Some("conv-7"));
    }
}
