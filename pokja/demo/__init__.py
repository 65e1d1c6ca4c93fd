"""The demo Pokja (Kabupaten Bengkulu Selatan) and its cases."""
