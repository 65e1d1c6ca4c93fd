"""Dashboard statistics (DESIGN §8): aggregates computed in SQL over the caller's scopes, each
figure carrying what reproduces it, and their CSV form."""
