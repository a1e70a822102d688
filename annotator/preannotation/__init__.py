"""Pre-annotation: recognisers that propose spans, and the jobs that write them as suggestions."""
