//! A one-page markdown report of a trace: summary, tasks, errors, final output. Pure core.
