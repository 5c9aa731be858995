//! Why fetching a trace failed, in plain words. Pure core.
