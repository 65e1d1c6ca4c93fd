"""Who sees what and who may do what: the scoped ``visible_*`` queries every read starts from,
the one ``permissions(user, case)``, the roles' rules and the Pokja's authority rules."""
