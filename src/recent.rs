//! Recently opened traces: names and summaries kept in this browser. Pure core.
