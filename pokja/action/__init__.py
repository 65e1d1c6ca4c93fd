"""What an agency must act on now (DESIGN §8 "action needed")."""
