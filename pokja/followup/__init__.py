"""Follow-up of a case: recommendations (rekomendasi), escalations, sanctions and the
violation-track table."""
