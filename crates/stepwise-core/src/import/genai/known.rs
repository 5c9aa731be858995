//! The attributes the classifier and the fact readers look at, found in one pass over a
//! span's attributes: each of some fifty lookups per span was a search of the map by
//! string comparisons, which together cost more than reading the attributes did.

use serde_json::{Map, Value};

/// Declares the known keys: an enum with a slot each, and the match from a key's name.
macro_rules! known_keys {
    ($($slot:ident = $name:literal,)*) => {
        /// A key the GenAI reader looks at; its number is its slot in `Known`.
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Key {
            $($slot,)*
        }

        const KEY_COUNT: usize = [$($name,)*].len();

        impl Key {
            fn of(name: &str) -> Option<Key> {
                match name {
                    $($name => Some(Key::$slot),)*
                    _ => None,
                }
            }

            #[cfg(test)]
            fn name(self) -> &'static str {
                match self {
                    $(Key::$slot => $name,)*
                }
            }

            #[cfg(test)]
            const ALL: [Key; KEY_COUNT] = [$(Key::$slot,)*];
        }
    };
}

known_keys! {
    langfuse_observation_type = "langfuse.observation.type",
    openinference_span_kind = "openinference.span.kind",
    gen_ai_operation_name = "gen_ai.operation.name",
    traceloop_span_kind = "traceloop.span.kind",
    llm_request_type = "llm.request.type",
    agentops_span_kind = "agentops.span.kind",
    gen_ai_request_model = "gen_ai.request.model",
    gen_ai_response_model = "gen_ai.response.model",
    llm_model_name = "llm.model_name",
    llm_request_model = "llm.request.model",
    embedding_model_name = "embedding.model_name",
    gen_ai_usage_input_tokens = "gen_ai.usage.input_tokens",
    gen_ai_usage_prompt_tokens = "gen_ai.usage.prompt_tokens",
    llm_token_count_prompt = "llm.token_count.prompt",
    llm_usage_prompt_tokens = "llm.usage.prompt_tokens",
    gen_ai_usage_output_tokens = "gen_ai.usage.output_tokens",
    gen_ai_usage_completion_tokens = "gen_ai.usage.completion_tokens",
    llm_token_count_completion = "llm.token_count.completion",
    llm_usage_completion_tokens = "llm.usage.completion_tokens",
    gen_ai_usage_cache_read_input_tokens = "gen_ai.usage.cache_read.input_tokens",
    gen_ai_usage_cache_read_input_tokens_flat = "gen_ai.usage.cache_read_input_tokens",
    llm_token_count_prompt_details_cache_read = "llm.token_count.prompt_details.cache_read",
    gen_ai_usage_cache_creation_input_tokens = "gen_ai.usage.cache_creation.input_tokens",
    gen_ai_usage_cache_creation_input_tokens_flat = "gen_ai.usage.cache_creation_input_tokens",
    llm_token_count_prompt_details_cache_write = "llm.token_count.prompt_details.cache_write",
    llm_token_count_prompt_details_audio = "llm.token_count.prompt_details.audio",
    llm_token_count_completion_details_audio = "llm.token_count.completion_details.audio",
    gen_ai_usage_reasoning_output_tokens = "gen_ai.usage.reasoning.output_tokens",
    gen_ai_usage_reasoning_tokens = "gen_ai.usage.reasoning_tokens",
    llm_token_count_completion_details_reasoning = "llm.token_count.completion_details.reasoning",
    gen_ai_usage_cost = "gen_ai.usage.cost",
    llm_cost_total = "llm.cost.total",
    gen_ai_input_messages = "gen_ai.input.messages",
    gen_ai_system_instructions = "gen_ai.system_instructions",
    gen_ai_tool_call_arguments = "gen_ai.tool.call.arguments",
    gen_ai_tool_call_id = "gen_ai.tool.call.id",
    gen_ai_prompt = "gen_ai.prompt",
    gen_ai_completion = "gen_ai.completion",
    gen_ai_response_finish_reasons = "gen_ai.response.finish_reasons",
    gen_ai_conversation_id = "gen_ai.conversation.id",
    gen_ai_retrieval_query_text = "gen_ai.retrieval.query.text",
    gen_ai_retrieval_documents = "gen_ai.retrieval.documents",
    gen_ai_memory_query_text = "gen_ai.memory.query.text",
    gen_ai_memory_records = "gen_ai.memory.records",
    input_value = "input.value",
    traceloop_entity_input = "traceloop.entity.input",
    agentops_entity_input = "agentops.entity.input",
    gen_ai_output_messages = "gen_ai.output.messages",
    gen_ai_tool_call_result = "gen_ai.tool.call.result",
    output_value = "output.value",
    traceloop_entity_output = "traceloop.entity.output",
    agentops_entity_output = "agentops.entity.output",
    error_type = "error.type",
    exception_type = "exception.type",
    exception_message = "exception.message",
    exception_stacktrace = "exception.stacktrace",
    gen_ai_agent_id = "gen_ai.agent.id",
    agent_id = "agent.id",
    gen_ai_agent_name = "gen_ai.agent.name",
    agent_name = "agent.name",
    gen_ai_agent_description = "gen_ai.agent.description",
    gen_ai_agent_version = "gen_ai.agent.version",
    crew_agents = "crew_agents",
    crew_tasks = "crew_tasks",
}

/// A span's attributes with the known ones at hand.
pub(crate) struct Known<'a> {
    pub map: &'a Map<String, Value>,
    values: [Option<&'a Value>; KEY_COUNT],
}

impl<'a> Known<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Known<'a> {
        let mut values = [None; KEY_COUNT];
        for (name, value) in map {
            if let Some(key) = Key::of(name) {
                values[key as usize] = Some(value);
            }
        }
        Known { map, values }
    }

    pub fn get(&self, key: Key) -> Option<&'a Value> {
        self.values[key as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_finds_its_own_slot() {
        for key in Key::ALL {
            assert_eq!(Key::of(key.name()), Some(key));
        }
        let map: Map<String, Value> = Key::ALL
            .iter()
            .map(|key| (key.name().to_string(), Value::from(key.name())))
            .collect();
        let known = Known::new(&map);
        for key in Key::ALL {
            assert_eq!(known.get(key), map.get(key.name()));
        }
    }
}
