"""Each business module's part of the permission matrix (see tests/test_permission_matrix.py)."""
