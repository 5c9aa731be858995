//! Embedding: the iframe's URL parameters and the postMessage protocol. Pure core.
