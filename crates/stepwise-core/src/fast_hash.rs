//! Hash maps keyed by step ids, task keys and model names on the hot paths of import,
//! layout and analysis. The standard SipHash guards against hash flooding, which a trace
//! viewer does not need (the input only slows its own page); profiling 100k-step traces in
//! the browser showed SipHash as the largest single cost of several main-thread tasks, and
//! FxHash is several times faster on short keys.

/// A `HashMap` with the Fx hasher: create it with `HashMap::default()`.
pub type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// A `HashSet` with the Fx hasher: create it with `HashSet::default()`.
pub type HashSet<T> = rustc_hash::FxHashSet<T>;

/// An empty map with room for `capacity` entries.
pub fn map_with_capacity<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, Default::default())
}

/// An empty set with room for `capacity` entries.
pub fn set_with_capacity<T>(capacity: usize) -> HashSet<T> {
    HashSet::with_capacity_and_hasher(capacity, Default::default())
}
