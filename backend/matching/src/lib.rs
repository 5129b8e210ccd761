//! The assignment engine (placeholder; see the matching issue).
