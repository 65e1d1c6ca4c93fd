"""The directory: Pokjas, agencies, users and their logins, a Pokja's settings, code lists and
labels."""
