"""The metric catalogue: every metric a methodology may rank, as an Ibis expression."""
