"""File formats: pure functions between files and ``records``. No Django here."""
