"""Inter-annotator agreement: pure metric functions (metrics*.py, no Django) and the project
service that gathers the layers they measure."""
